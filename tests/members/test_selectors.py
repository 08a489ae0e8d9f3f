import datetime as dt

import pytest

from members.selectors import MemberFilters, is_young_driver, joinable_associations, member_list
from tests.factories.members import (
    AssociationFactory,
    DriverProfileFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 26)


def _names(association, **filters):
    return {
        m.user.first_name for m in member_list(association, MemberFilters(**filters), today=TODAY)
    }


@pytest.fixture
def cast(association):
    def person(first_name, status="active", role="member", **profile):
        membership = MembershipFactory(
            association=association,
            user=UserFactory(first_name=first_name, last_name="Test"),
            status=status,
            role=role,
        )
        if profile is not None and profile.get("none") is None:
            DriverProfileFactory(user=membership.user, **profile)
        return membership

    person("Seasoned")
    person("Teen", birth_date=dt.date(2006, 1, 1), licence_issued_on=dt.date(2024, 6, 1))
    person("Newlicence", birth_date=dt.date(1970, 1, 1), licence_issued_on=dt.date(2025, 1, 1))
    person("Probation", birth_date=dt.date(1995, 1, 1), licence_issued_on=dt.date(2024, 1, 10))
    person("Nolicence", none=True)
    person("Blank", licence_number="", birth_date=None)
    person("Waiting", status="pending")
    person("Gone", status="left")
    person("Boss", role="admin")
    return association


def test_default_list_shows_current_members_and_requests(cast):
    names = _names(cast)
    assert "Waiting" in names and "Gone" not in names


def test_status_filters(cast):
    assert _names(cast, status="pending") == {"Waiting"}
    assert "Gone" in _names(cast, status="all")


def test_role_filter(cast):
    assert _names(cast, role="admin") == {"Boss"}


def test_young_driver_filter_uses_the_pure_rule(cast):
    assert _names(cast, young=True) == {"Teen", "Newlicence", "Probation"}


def test_missing_licence_filter(cast):
    assert _names(cast, missing_licence=True) == {"Nolicence", "Blank"}


def test_search_matches_every_word(cast, association):
    assert _names(cast, q="teen test") == {"Teen"}
    assert _names(cast, q="TEST") >= {"Teen", "Seasoned"}


def test_list_query_count_does_not_grow_with_members(association, django_assert_num_queries):
    for _ in range(30):
        DriverProfileFactory(user=MembershipFactory(association=association).user)
    with django_assert_num_queries(1):
        rows = list(member_list(association, MemberFilters(), today=TODAY))
        assert all(r.user.driver_profile.is_complete for r in rows)


def test_probation_alone_makes_a_young_driver_in_the_list():
    profile = DriverProfileFactory.build(
        birth_date=dt.date(1980, 1, 1), licence_issued_on=dt.date(2023, 12, 1)
    )
    assert is_young_driver(profile, TODAY)  # 2 full years, 30 days of probation left
    assert not is_young_driver(profile, dt.date(2026, 12, 1))
    assert not is_young_driver(None, TODAY)


def _listed(association):
    association.public_page = association.listed_in_directory = True
    association.save(update_fields=["public_page", "listed_in_directory"])
    return association


def test_joinable_associations_exclude_mine(member, association, other_association):
    _listed(association)
    _listed(other_association)
    third = _listed(AssociationFactory())
    assert set(joinable_associations(member.user)) == {other_association, third}


def test_joinable_associations_are_those_of_the_directory(member, other_association):
    """Unlisted or suspended associations are found through their own link only."""
    _listed(AssociationFactory(suspended_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))
    AssociationFactory()  # not listed
    assert set(joinable_associations(member.user)) == set()
    _listed(other_association)
    assert set(joinable_associations(member.user)) == {other_association}
