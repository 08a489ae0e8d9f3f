"""Announcements: the admins write to all the members, to the owners or to the drivers of a
car; each member of the audience gets it once through the notifications outbox (in the app,
and by e-mail unless they chose the app only), even when the job runs twice."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django.core import mail
from rest_framework.test import APIClient

from bookings.models import Announcement, Booking
from bookings.scans import scan_announcements
from bookings.selectors.audiences import audience_members, audience_sizes
from bookings.services.announcements import deliver_announcement, publish_announcement
from core.errors import DomainError
from members.models import Membership
from notifications.models import Notification, NotificationPreference
from notifications.registry import get_job
from notifications.runs import run_job
from tests.factories.bookings import BookingFactory
from tests.factories.contracts import AgreementFactory
from tests.factories.members import MembershipFactory
from tests.factories.vehicles import owned_vehicle

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def world(association, admin, member):
    """Camille owns the Clio; Bruno signed for it; Léa booked it two months ago; Denis
    booked it a year ago only; Éric never drove it; Zoé left the association."""
    people = {
        name: MembershipFactory(association=association, user__first_name=name)
        for name in ("Camille", "Bruno", "Lea", "Denis", "Eric")
    }
    people["Zoe"] = MembershipFactory(association=association, status=Membership.Status.LEFT)
    clio = owned_vehicle(people["Camille"], name="Clio")
    kangoo = owned_vehicle(people["Eric"], name="Kangoo")
    AgreementFactory(vehicle=clio, driver=people["Bruno"])
    BookingFactory(
        vehicle=clio,
        driver=people["Lea"],
        start=NOW - dt.timedelta(days=60),
        end=NOW - dt.timedelta(days=60) + dt.timedelta(hours=3),
        status=Booking.Status.COMPLETED,
    )
    BookingFactory(
        vehicle=clio,
        driver=people["Denis"],
        start=NOW - dt.timedelta(days=365),
        end=NOW - dt.timedelta(days=365) + dt.timedelta(hours=3),
        status=Booking.Status.COMPLETED,
    )
    return people, clio, kangoo


def names(members):
    return sorted(m.user.first_name for m in members)


def test_the_audiences(association, admin, member, world):
    _people, clio, _kangoo = world
    with time_machine.travel(NOW, tick=False):
        everyone = audience_members(association, "all")
        owners = audience_members(association, "owners")
        drivers = audience_members(association, "vehicle", clio)
        sizes = audience_sizes(association)
    assert len(everyone) == 2 + 5  # admin, member and the five active people, not Zoé
    assert names(owners) == ["Camille", "Eric"]
    # Its owner, the signed agreement, the booking of two months ago; not Denis (a year).
    assert names(drivers) == ["Bruno", "Camille", "Lea"]
    assert (sizes["all"], sizes["owners"], sizes[f"vehicle:{clio.pk}"]) == (7, 2, 3)


def test_an_announcement_reaches_each_member_once_even_when_the_job_runs_twice(
    association, admin, world
):
    with time_machine.travel(NOW, tick=False):
        announcement = publish_announcement(
            actor=admin,
            subject="Assemblée générale",
            body="Le 12 décembre à 18 h, salle des fêtes.\nOrdre du jour : le rapport annuel.",
            audience="all",
        )
        # Publishing queued the job after commit (eager here); run it twice more, and
        # deliver the announcement once more by hand.
        job = get_job("announcements")
        run_job(job)
        run_job(job)
        deliver_announcement(actor=admin, announcement=announcement)
    rows = Notification.objects.filter(kind="announcement")
    per_member = Counter(rows.values_list("recipient_id", flat=True))
    audience = {m.user_id for m in audience_members(association, "all")}
    assert set(per_member) == audience and set(per_member.values()) == {1}
    announcement.refresh_from_db()
    assert announcement.recipients == len(audience) == 7
    assert announcement.delivered_at is not None
    emails = Counter(message.to[0] for message in mail.outbox if "Assemblée" in message.subject)
    assert set(emails.values()) == {1} and len(emails) == 7


def test_a_member_who_chose_the_app_only_gets_no_email(
    association, admin, member, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(
        user=member.user, kind="announcement", by_email=False, in_app=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish_announcement(actor=admin, subject="Vide-grenier", body="Dimanche.", audience="all")
    note = Notification.objects.get(kind="announcement", recipient=member.user)
    assert (note.in_app, note.by_email) == (True, False)
    assert not [m for m in mail.outbox if member.user.email in m.to]
    assert [m for m in mail.outbox if admin.user.email in m.to]


def test_the_drivers_of_a_car_only(association, admin, world, django_capture_on_commit_callbacks):
    _people, clio, _kangoo = world
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        publish_announcement(
            actor=admin,
            subject="Pneus neufs",
            body="La Clio a des pneus neufs.",
            audience="vehicle",
            vehicle=clio,
        )
    reached = Notification.objects.filter(kind="announcement").values_list(
        "recipient__first_name", flat=True
    )
    assert sorted(reached) == ["Bruno", "Camille", "Lea"]


def test_the_text_the_members_read(association, admin, member, django_capture_on_commit_callbacks):
    member.user.language = "fr"
    member.user.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        publish_announcement(
            actor=admin, subject="Assemblée générale", body="Le 12 décembre.", audience="all"
        )
    note = Notification.objects.get(kind="announcement", recipient=member.user)
    assert note.subject == "Autopartage de Testville\u00a0: Assemblée générale"
    assert note.body.startswith("Le 12 décembre.")
    assert f"{admin.user.display_name}, pour Autopartage de Testville" in note.body


def test_only_admins_write_and_the_car_must_be_the_associations(
    association, admin, member, other_association
):
    with pytest.raises(DomainError) as refused:
        publish_announcement(actor=member, subject="x", body="y", audience="all")
    assert (refused.value.code, refused.value.http_status) == ("forbidden", 403)
    foreign = owned_vehicle(MembershipFactory(association=other_association))
    with pytest.raises(DomainError) as refused:
        publish_announcement(
            actor=admin, subject="x", body="y", audience="vehicle", vehicle=foreign
        )
    assert refused.value.code == "unknown_vehicle"
    with pytest.raises(DomainError) as refused:
        publish_announcement(actor=admin, subject="  ", body="y", audience="all")
    assert (refused.value.code, refused.value.extra["field"]) == ("required", "subject")
    assert not Announcement.objects.exists()


def test_the_job_catches_up_what_was_never_queued(association, admin, member):
    """Written while the broker was down: the row waits, the job queues it."""
    Announcement.objects.create(
        association=association, author=admin.user, subject="S", body="B", audience="all"
    )
    counts = scan_announcements(now=dt.datetime.now(dt.UTC))
    assert (counts.checked, counts.created) == (1, 2)
    assert scan_announcements(now=dt.datetime.now(dt.UTC)).checked == 0


# --- The pages and the API -----------------------------------------------------------------


def test_the_page_writes_to_the_drivers_of_a_car(
    association, admin, admin_client_, world, django_capture_on_commit_callbacks
):
    _people, clio, _kangoo = world
    url = f"/{association.slug}/announcements/"
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        page = admin_client_.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        assert "Tous les membres (7)" in page
        assert f'value="vehicle:{clio.pk}"' in page and "Les conducteurs de Clio (3)" in page
        response = admin_client_.post(
            url,
            {"audience": f"vehicle:{clio.pk}", "subject": "Clio au garage", "body": "Lundi."},
            HTTP_ACCEPT_LANGUAGE="fr",
        )
    announcement = Announcement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/{association.slug}/announcements/{announcement.pk}/"
    detail = admin_client_.get(response["Location"], HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "L’annonce est envoyée à 3 membres." in detail
    assert "3 remis, 0 en attente, 0 en échec" in detail
    history = admin_client_.get(f"/{association.slug}/announcements/history/").content.decode()
    assert "Clio au garage" in history


def test_the_page_refuses_bad_input_in_french(association, admin_client_):
    response = admin_client_.post(
        f"/{association.slug}/announcements/",
        {"audience": "vehicle:999999", "subject": "", "body": ""},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not Announcement.objects.exists()


def test_the_api_answers_201_and_lists_the_history(association, admin):
    client = APIClient()
    client.force_authenticate(admin.user)
    url = f"/api/v1/associations/{association.slug}/announcements/"
    payload = {"subject": "Assemblée générale", "body": "Le 12 décembre.", "audience": "all"}
    response = client.post(url, payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["subject"], body["audience"], body["recipients"]) == (
        "Assemblée générale",
        "all",
        1,
    )
    listed = client.get(url).json()
    assert [item["id"] for item in listed] == [body["id"]]


@pytest.mark.parametrize(
    ("audience", "code"),
    [
        ("everybody", "invalid_audience"),
        ("vehicle:abc", "invalid_audience"),
        ("vehicle:0", "unknown_vehicle"),
    ],
)
def test_the_api_refuses_an_unknown_audience(association, admin, audience, code):
    client = APIClient()
    client.force_authenticate(admin.user)
    response = client.post(
        f"/api/v1/associations/{association.slug}/announcements/",
        {"subject": "S", "body": "B", "audience": audience},
        format="json",
    )
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert response.json()["field"] == "audience"
