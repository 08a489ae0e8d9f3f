"""Every write path of issue 17 (incidents, the owner's time), page and API, with the callers
who must not write: a member not involved, the driver deciding their own case, an owner who is
not an admin deciding, another association's admin. Each refusal changes nothing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from bookings.models import Booking, Incident, IncidentPhoto, Unavailability, UsageCap
from bookings.services.owner_time import Block, block_period, set_usage_cap
from ledger.models import LedgerTransaction
from members.models import Membership
from tests.factories.bookings import TripFactory
from tests.factories.ledger import tariffed_vehicle
from tests.factories.members import MembershipFactory
from tests.factories.vehicles import PNG_BYTES, png_upload

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2027, 3, 18, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def owner(association):
    return MembershipFactory(association=association)


@pytest.fixture
def clio(association, owner):
    return tariffed_vehicle(association, owners=[(owner, 100)], name="Clio")


@pytest.fixture
def incident(clio, member):
    trip = TripFactory(
        booking__vehicle=clio,
        booking__driver=member,
        booking__status=Booking.Status.COMPLETED,
        booking__start=NOW - dt.timedelta(days=2),
        booking__end=NOW - dt.timedelta(days=2) + dt.timedelta(hours=3),
    )
    incident = Incident.objects.create(
        vehicle=clio,
        booking=trip.booking,
        kind=Incident.Kind.SCRATCH,
        description="Rayure",
        reported_by=member,
        occurred_at=trip.booking.start,
    )
    IncidentPhoto.objects.create(incident=incident, file=ContentFile(PNG_BYTES, name="p.png"))
    return incident


@pytest.fixture
def callers(association, other_association, owner, member):
    return {
        "bystander": MembershipFactory(association=association),
        "foreign_admin": MembershipFactory(
            association=other_association, role=Membership.Role.ADMIN
        ),
        "driver": member,
        "owner": owner,
    }


def page_for(membership):
    client = Client()
    client.force_login(membership.user)
    return client


def api_for(membership):
    """With a real token, as a leaked one would be used."""
    client = APIClient()
    _instance, key = AuthToken.objects.create(user=membership.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def incident_untouched(incident):
    fresh = Incident.objects.get(pk=incident.pk)
    return (
        fresh.status == Incident.Status.REPORTED
        and fresh.repair_cost is None
        and not fresh.insurer_involved
        and fresh.kind == Incident.Kind.SCRATCH
        and fresh.replies.count() == 0
        and fresh.photos.count() == 1
        and not LedgerTransaction.objects.filter(reference__startswith="incident:").exists()
    )


# (caller, path, expected status): the bystander may not even see the incident (403), the
# driver and the owner see it but do not decide, the foreign admin finds nothing (404).
INCIDENT_PAGE_CASES = [
    ("bystander", "reply", 403),
    ("bystander", "photos", 403),
    ("bystander", "assess", 403),
    ("bystander", "settle", 403),
    ("bystander", "close", 403),
    ("driver", "assess", 403),
    ("driver", "settle", 403),
    ("driver", "close", 403),
    ("owner", "settle", 403),
    ("owner", "close", 403),
    ("foreign_admin", "reply", 404),
    ("foreign_admin", "photos", 404),
    ("foreign_admin", "assess", 404),
    ("foreign_admin", "settle", 404),
    ("foreign_admin", "close", 404),
]


def page_body(action, incident, driver):
    return {
        "reply": {"body": "Ce n'est pas moi"},
        "photos": {"photos": [png_upload()]},
        "assess": {
            "kind": Incident.Kind.ACCIDENT,
            "repair_cost": "9000",
            "document_kind": "invoice",
            "insurer_involved": "on",
        },
        "settle": {"responsible": driver.pk, "amount": "1"},
        "close": {"decision": "rien"},
    }[action]


@pytest.mark.parametrize(("who", "action", "expected"), INCIDENT_PAGE_CASES)
def test_incident_pages_refuse_who_may_not_write(callers, incident, who, action, expected):
    url = f"/testville/incidents/{incident.pk}/{action}/"
    response = page_for(callers[who]).post(url, page_body(action, incident, callers["driver"]))
    assert response.status_code == expected
    assert incident_untouched(incident)


API_CASES = [
    ("bystander", "replies", 403),
    ("bystander", "assess", 403),
    ("bystander", "settle", 403),
    ("bystander", "close", 403),
    ("driver", "assess", 403),
    ("driver", "settle", 403),
    ("driver", "close", 403),
    ("owner", "settle", 403),
    ("owner", "close", 403),
    ("foreign_admin", "replies", 404),
    ("foreign_admin", "assess", 404),
    ("foreign_admin", "settle", 404),
    ("foreign_admin", "close", 404),
]


def api_body(action, driver):
    return {
        "replies": {"body": "Ce n'est pas moi"},
        "assess": {
            "kind": Incident.Kind.ACCIDENT,
            "repair_cost": "9000",
            "document_kind": "invoice",
            "insurer_involved": True,
        },
        "settle": {"responsible": driver.pk, "amount": "1"},
        "close": {"decision": "rien"},
    }[action]


@pytest.mark.parametrize(("who", "action", "expected"), API_CASES)
def test_incident_api_refuses_who_may_not_write(callers, incident, who, action, expected):
    url = f"/api/v1/associations/testville/incidents/{incident.pk}/{action}/"
    response = api_for(callers[who]).post(url, api_body(action, callers["driver"]), format="json")
    assert response.status_code == expected
    assert incident_untouched(incident)


def test_the_foreign_admin_cannot_report_nor_say_already_there_in_testville(
    callers, clio, incident
):
    foreign = callers["foreign_admin"]
    body = {"vehicle": clio.pk, "kind": "dent", "description": "Faux"}
    assert (
        api_for(foreign)
        .post("/api/v1/associations/testville/incidents/", body, format="json")
        .status_code
        == 404
    )
    assert api_for(foreign).post(
        "/api/v1/associations/ailleurs/incidents/", body, format="json"
    ).status_code in (400, 404)
    already = f"/testville/bookings/{incident.booking_id}/incidents/{incident.pk}/already-there/"
    assert page_for(foreign).post(already, {}).status_code == 404
    assert Incident.objects.count() == 1 and incident_untouched(incident)


@pytest.fixture
def mornings(owner, clio):
    start = dt.datetime(2027, 3, 19, 7, 30, tzinfo=PARIS)
    return block_period(
        actor=owner, vehicle=clio, block=Block(start, start + dt.timedelta(minutes=90), "", 31)
    )


@pytest.fixture
def cap(owner, member, clio):
    return set_usage_cap(actor=owner, vehicle=clio, driver=member, hours_per_month=10)


@pytest.mark.parametrize(("who", "expected"), [("bystander", 403), ("foreign_admin", 404)])
def test_owner_time_pages_refuse_who_does_not_manage_the_car(
    callers, clio, mornings, cap, who, expected
):
    page = page_for(callers[who])
    base = f"/testville/vehicles/{clio.pk}/owner-time/"
    posts = [
        (f"{base}block/", {"start": "2027-03-25T14:00", "end": "2027-03-25T18:00"}),
        (f"{base}{mornings.pk}/unblock/", {}),
        (f"{base}cap/", {"driver": callers["driver"].pk, "hours_per_month": 744}),
        (f"{base}caps/{cap.pk}/remove/", {}),
    ]
    for url, body in posts:
        assert page.post(url, body).status_code == expected, url
    assert list(Unavailability.objects.values_list("pk", flat=True)) == [mornings.pk]
    assert list(UsageCap.objects.values_list("hours_per_month", flat=True)) == [10]


@pytest.mark.parametrize(("who", "expected"), [("bystander", 403), ("foreign_admin", 404)])
def test_owner_time_api_refuses_who_does_not_manage_the_car(callers, clio, mornings, who, expected):
    api = api_for(callers[who])
    url = f"/api/v1/associations/testville/vehicles/{clio.pk}/unavailability/"
    body = {"start": "2027-03-25T14:00:00+01:00", "end": "2027-03-25T18:00:00+01:00"}
    assert api.post(url, body, format="json").status_code == expected
    assert api.delete(f"{url}{mornings.pk}/").status_code == expected
    assert list(Unavailability.objects.values_list("pk", flat=True)) == [mornings.pk]
