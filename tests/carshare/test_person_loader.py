"""carshare.auth: the signed-in person, their active memberships and unread count in one
query, as Django's backends would read them separately."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carshare.auth import ModelBackend, load_person
from members.access import active_memberships_of
from members.models import Membership
from notifications.models import Notification
from notifications.selectors import unread_count
from notifications.services import mark_all_notifications_read
from tests.factories.members import AssociationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def executed(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries]


def notify(user, **fields):
    return Notification.objects.create(
        recipient=user, kind="test", key=f"k{Notification.objects.count()}", subject="S",
        body="B", **fields,
    )  # fmt: skip


def test_one_query_gives_the_person_their_active_memberships_and_unread_count():
    user = UserFactory()
    zeta = MembershipFactory(user=user, association=AssociationFactory(name="Zeta"))
    alpha = MembershipFactory(user=user, association=AssociationFactory(name="Alpha"))
    MembershipFactory(user=user, status=Membership.Status.PENDING)
    MembershipFactory(user=user, status=Membership.Status.LEFT)
    notify(user)
    notify(user)
    notify(user, in_app=False)  # e-mail only: not in the badge
    read = notify(user)
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    with CaptureQueriesContext(connection) as queries:
        loaded = load_person(user.pk)
        memberships = active_memberships_of(loaded)
        unread = unread_count(loaded)
    assert len(executed(queries)) == 1
    assert loaded == user and loaded.email == user.email
    assert [m.pk for m in memberships] == [alpha.pk, zeta.pk]  # by association name
    assert [m.association.name for m in memberships] == ["Alpha", "Zeta"]
    assert memberships[0].role == alpha.role and memberships[0].user_id == user.pk
    assert unread == 2 == unread_count(user)  # as the query without the prefetch counts


def test_a_person_without_an_active_membership_or_unknown():
    user = UserFactory()
    MembershipFactory(user=user, status=Membership.Status.PENDING)
    loaded = load_person(user.pk)
    assert active_memberships_of(loaded) == [] and unread_count(loaded) == 0
    assert load_person(user.pk + 1000) is None


def test_an_inactive_person_is_nobody():
    user = UserFactory(is_active=False)
    assert ModelBackend().get_user(user.pk) is None
    assert ModelBackend().get_user(UserFactory().pk) is not None


def test_notifications_read_during_the_request_are_not_counted_any_more():
    user = UserFactory()
    notify(user)
    loaded = load_person(user.pk)
    assert unread_count(loaded) == 1
    mark_all_notifications_read(user=loaded)
    assert unread_count(loaded) == 0


def test_a_cached_planning_costs_three_queries_session_person_and_versions(member_client):
    assert member_client.get("/testville/planning/").status_code == 200  # fills the caches
    with CaptureQueriesContext(connection) as queries:
        assert member_client.get("/testville/planning/").status_code == 200
    # the session, the person with memberships and unread count, the cars with versions
    assert len(executed(queries)) == 3, executed(queries)


def test_on_postgresql_the_queries_are_prepared_once_per_session(member_client, settings):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no prepared statements")
    member_client.get("/testville/planning/")
    with CaptureQueriesContext(connection) as queries:
        member_client.get("/testville/planning/")
    assert [q["sql"].split("(")[0].split()[0] for q in queries.captured_queries] == ["EXECUTE"] * 3
    settings.PREPARED_STATEMENTS = False
    with CaptureQueriesContext(connection) as queries:
        member_client.get("/testville/planning/")
    assert all(q["sql"].startswith("SELECT") for q in queries.captured_queries)
