"""Hostile reading of the waiting list and of the series' cancellation (issue 16): one entry
per member per slot, a bounded number of entries, nobody else's entry, no other
association's car, no wait for a car one may not drive, nobody else's series."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from bookings.models import Booking, WaitingEntry
from bookings.services.bookings import cancel_booking
from bookings.services.series import book_series
from bookings.services.waiting import MAX_WAITING_PER_MEMBER
from notifications.models import Notification
from tests.bookings.helpers import shared_vehicle
from tests.factories.bookings import BookingFactory
from tests.factories.members import DriverProfileFactory, MembershipFactory
from vehicles.models import InsurancePolicy

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)
WAITING = "/api/v1/associations/testville/waiting-list/"
API = "/api/v1/associations/testville/bookings"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def api_for(membership) -> APIClient:
    client = APIClient()
    client.force_authenticate(membership.user)
    return client


@pytest.fixture
def neighbour(association):
    membership = MembershipFactory(association=association)
    DriverProfileFactory(user=membership.user)
    return membership


@pytest.fixture
def clio(admin, member, neighbour):
    return shared_vehicle(admin, member, neighbour, name="Clio")


def at(day: int, hour: int, minute: int = 0) -> str:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=PARIS).isoformat()


@pytest.fixture
def taken(clio, neighbour):
    """The neighbour holds the Clio from 1 to 3 December."""
    start = dt.datetime(2026, 12, 1, 8, tzinfo=PARIS)
    return BookingFactory(
        vehicle=clio, driver=neighbour, start=start, end=start + dt.timedelta(days=2)
    )


def slot(vehicle, day, hour, minute=0):
    return {"vehicle": vehicle.pk, "start": at(day, hour, minute), "end": at(day, hour + 1)}


def test_the_same_slot_twice_at_once_leaves_one_entry(member, clio, taken):
    client = api_for(member)
    answers = [client.post(WAITING, slot(clio, 1, 10), format="json") for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 409, 409]
    assert WaitingEntry.objects.count() == 1


def test_a_hostile_member_cannot_flood_the_waiting_list(member, clio, taken):
    client = api_for(member)
    for minute in range(MAX_WAITING_PER_MEMBER):
        day, hour = 1 + minute // 5, 10 + minute % 5
        assert client.post(WAITING, slot(clio, day, hour), format="json").status_code == 201
    refused = client.post(WAITING, slot(clio, 2, 20), format="json")
    assert (refused.status_code, refused.json()["code"]) == (400, "too_many_waiting")
    assert WaitingEntry.objects.count() == MAX_WAITING_PER_MEMBER


def test_each_member_is_told_once_whatever_the_paths(member, neighbour, clio, taken):
    api_for(member).post(WAITING, slot(clio, 1, 10), format="json")
    cancel_booking(actor=neighbour, booking=taken)
    retaken = BookingFactory(vehicle=clio, driver=neighbour, start=taken.start, end=taken.end)
    cancel_booking(actor=neighbour, booking=retaken)
    assert Notification.objects.filter(kind="slot_free", recipient=member.user).count() == 1


def test_another_members_entry_is_not_found(member, neighbour, clio, taken, client):
    entry_id = api_for(member).post(WAITING, slot(clio, 1, 10), format="json").json()["id"]
    assert api_for(neighbour).delete(f"{WAITING}{entry_id}/").status_code == 404
    assert [e["id"] for e in api_for(neighbour).get(WAITING).json()] == []
    client.force_login(neighbour.user)
    assert client.post(f"/testville/bookings/waiting/{entry_id}/leave/").status_code == 404
    assert WaitingEntry.objects.filter(pk=entry_id).exists()


def test_another_association_sees_nothing(member, outsider, clio, taken, client):
    entry_id = api_for(member).post(WAITING, slot(clio, 1, 10), format="json").json()["id"]
    theirs = f"/api/v1/associations/{outsider.association.slug}/waiting-list/"
    assert api_for(outsider).delete(f"{theirs}{entry_id}/").status_code == 404
    assert api_for(outsider).post(theirs, slot(clio, 1, 11), format="json").status_code == 404
    assert api_for(outsider).post(WAITING, slot(clio, 1, 11), format="json").status_code == 404
    client.force_login(outsider.user)
    page = {"vehicle": clio.pk, "start": "2026-12-01T11:00", "end": "2026-12-01T12:00"}
    assert client.post("/testville/bookings/waiting/", page).status_code == 404
    assert WaitingEntry.objects.count() == 1


def test_a_driver_the_insurance_refuses_cannot_wait(member, clio, taken):
    clio.insurance_policies.update(
        young_driver_rule=InsurancePolicy.YoungDriverRule.FORBIDDEN, min_driver_age=99
    )
    response = api_for(member).post(WAITING, slot(clio, 1, 10), format="json")
    assert (response.status_code, response.json()["code"]) == (403, "young_driver_forbidden")
    assert not WaitingEntry.objects.exists()


def test_bad_input_is_a_400_and_no_entry(member, clio, taken):
    client = api_for(member)
    backwards = {"vehicle": clio.pk, "start": at(1, 12), "end": at(1, 10)}
    assert client.post(WAITING, backwards, format="json").status_code == 400
    past = {"vehicle": clio.pk, "start": "2026-11-01T10:00:00+01:00", "end": at(1, 10)}
    assert client.post(WAITING, past, format="json").status_code == 400
    assert client.post(WAITING, {"vehicle": "x"}, format="json").status_code == 400
    assert not WaitingEntry.objects.exists()


@pytest.fixture
def weekly(member, clio):
    start = dt.datetime(2026, 12, 5, 8, tzinfo=PARIS)
    return book_series(
        actor=member,
        vehicle=clio,
        start=start,
        end=start + dt.timedelta(hours=4),
        every="week",
        count=4,
    ).created


def test_another_members_series_cannot_be_cancelled(neighbour, outsider, weekly):
    url = f"{API}/{weekly[1].pk}/cancel-series/"
    assert api_for(neighbour).post(url, {}, format="json").status_code == 403
    assert api_for(outsider).post(url, {}, format="json").status_code == 404
    assert not Booking.objects.filter(status=Booking.Status.CANCELLED).exists()
