"""The waiting list: "tell me if this car becomes free" on a taken slot (page and
/api/v1/associations/{slug}/waiting-list/), and the waiting members told in order, once,
whichever path frees the slot (cancel, refuse, change, shorten, early return)."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from bookings.models import Booking, Trip, WaitingEntry
from bookings.services.bookings import cancel_booking, refuse_booking
from bookings.services.changes import change_booking
from bookings.services.trips import Reading, Return, check_in
from bookings.services.waiting import join_waiting_list
from notifications.models import Notification
from tests.bookings.helpers import shared_vehicle
from tests.factories.bookings import BookingFactory
from tests.factories.members import DriverProfileFactory, MembershipFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)
WAITING = "/api/v1/associations/testville/waiting-list/"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, tzinfo=PARIS)


@pytest.fixture
def others(association):
    people = [MembershipFactory(association=association) for _ in range(2)]
    for person in people:
        DriverProfileFactory(user=person.user)
    return people


@pytest.fixture
def clio(admin, member, others):
    return shared_vehicle(admin, member, *others, name="Clio")


@pytest.fixture
def taken(clio, others):
    """Another member holds the Clio on 1 December, 9:00–12:00."""
    return BookingFactory(vehicle=clio, driver=others[1], start=at(1, 9), end=at(1, 12))


def told(kind: str = "slot_free") -> list[tuple[int, str]]:
    return list(
        Notification.objects.filter(kind=kind).order_by("pk").values_list("recipient_id", "key")
    )


def wait(member, vehicle, start, end) -> WaitingEntry:
    return join_waiting_list(actor=member, vehicle=vehicle, start=start, end=end)


def test_joining_on_a_taken_slot_answers_201(api, clio, taken):
    payload = {"vehicle": clio.pk, "start": at(1, 10).isoformat(), "end": at(1, 11).isoformat()}
    response = api.post(WAITING, payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["vehicle"], body["vehicle_name"], body["notified_at"]) == (clio.pk, "Clio", None)
    assert [e["id"] for e in api.get(WAITING).json()] == [body["id"]]


def test_joining_on_a_free_slot_is_refused_with_slot_free(api, clio, taken):
    payload = {"vehicle": clio.pk, "start": at(2, 10).isoformat(), "end": at(2, 11).isoformat()}
    response = api.post(WAITING, payload, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "slot_free")
    assert not WaitingEntry.objects.exists()


def test_one_entry_per_member_per_slot(api, clio, taken):
    payload = {"vehicle": clio.pk, "start": at(1, 10).isoformat(), "end": at(1, 11).isoformat()}
    assert api.post(WAITING, payload, format="json").status_code == 201
    again = api.post(WAITING, payload, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "already_waiting")
    overlapping = {**payload, "end": at(1, 12).isoformat()}
    assert api.post(WAITING, overlapping, format="json").json()["code"] == "already_waiting"
    assert WaitingEntry.objects.count() == 1


def test_a_cancelled_booking_tells_the_waiting_members_in_order_once(clio, taken, member, others):
    first = wait(member, clio, at(1, 10), at(1, 11))
    second = wait(others[0], clio, at(1, 9), at(1, 12))
    cancel_booking(actor=others[1], booking=taken)
    assert told() == [
        (member.user_id, f"slot_free:waiting:{first.pk}"),
        (others[0].user_id, f"slot_free:waiting:{second.pk}"),
    ]
    assert WaitingEntry.objects.filter(notified_at__isnull=True).count() == 0
    # the slot taken and freed again: nobody is told twice
    again = BookingFactory(vehicle=clio, driver=others[1], start=at(1, 9), end=at(1, 12))
    cancel_booking(actor=others[1], booking=again)
    assert len(told()) == 2


def test_the_link_books_the_freed_slot(clio, taken, member, others):
    wait(member, clio, at(1, 10), at(1, 11))
    cancel_booking(actor=others[1], booking=taken)
    url = Notification.objects.get(kind="slot_free").url
    parts = urlsplit(url)
    assert parts.path == "/testville/bookings/new/"
    assert parse_qs(parts.query) == {
        "vehicle": [str(clio.pk)],
        "start": ["2026-12-01T10:00"],
        "end": ["2026-12-01T11:00"],
    }
    client = Client()
    client.force_login(member.user)
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="2026-12-01T10:00"' in page.content.decode()
    response = client.post(
        parts.path, {"vehicle": clio.pk, "start": "2026-12-01T10:00", "end": "2026-12-01T11:00"}
    )
    assert response.status_code == 302
    assert Booking.objects.filter(driver=member, start=at(1, 10)).exists()


def test_a_slot_still_taken_by_another_booking_is_not_announced(clio, taken, member, others):
    later = BookingFactory(vehicle=clio, driver=others[0], start=at(1, 12), end=at(1, 15))
    wait(member, clio, at(1, 11), at(1, 13))
    cancel_booking(actor=others[1], booking=taken)
    assert told() == []
    cancel_booking(actor=others[0], booking=later)
    assert [who for who, _ in told()] == [member.user_id]


def test_a_refused_request_frees_the_slot(clio, taken, member, admin):
    Booking.objects.filter(pk=taken.pk).update(status=Booking.Status.REQUESTED)
    taken.refresh_from_db()
    wait(member, clio, at(1, 10), at(1, 11))
    refuse_booking(actor=admin, booking=taken, reason="garage")
    assert [who for who, _ in told()] == [member.user_id]


def test_a_moved_booking_tells_who_waited_for_its_old_time(clio, taken, member, others):
    wait(member, clio, at(1, 10), at(1, 11))
    change_booking(actor=others[1], booking=taken, start=at(3, 9), end=at(3, 12))
    assert [who for who, _ in told()] == [member.user_id]


def test_a_booking_moved_to_another_car_frees_the_first_one(clio, taken, member, others, admin):
    zoe = shared_vehicle(admin, others[1], name="Zoé")
    wait(member, clio, at(1, 10), at(1, 11))
    change_booking(actor=others[1], booking=taken, vehicle=zoe)
    assert [who for who, _ in told()] == [member.user_id]


def test_a_shortened_booking_tells_who_waited_for_its_end(clio, taken, member, others):
    entry = wait(member, clio, at(1, 11), at(1, 12))
    early = wait(others[0], clio, at(1, 9), at(1, 10))
    change_booking(actor=others[1], booking=taken, end=at(1, 11))
    assert told() == [(member.user_id, f"slot_free:waiting:{entry.pk}")]
    early.refresh_from_db()
    assert early.notified_at is None  # still taken


def test_a_move_that_still_covers_the_slot_tells_nobody(clio, taken, member, others):
    wait(member, clio, at(1, 10), at(1, 11))
    change_booking(actor=others[1], booking=taken, start=at(1, 10), end=at(1, 13))
    assert told() == []


def test_an_early_return_frees_the_rest_of_the_slot(clio, member, others):
    with time_machine.travel(at(1, 8), tick=False):
        booking = BookingFactory(
            vehicle=clio,
            driver=others[1],
            start=at(1, 7),
            end=at(1, 12),
            status=Booking.Status.IN_PROGRESS,
        )
        Trip.objects.create(
            booking=booking, odometer_out=1000, fuel_level_out=50, checked_out_at=at(1, 7)
        )
        wait(member, clio, at(1, 10), at(1, 12))
    with time_machine.travel(at(1, 9), tick=False):
        check_in(actor=others[1], booking=booking, report=Return(Reading(1040, 40)))
    assert [who for who, _ in told()] == [member.user_id]


def test_the_booking_form_offers_the_waiting_list_on_a_taken_slot(member_client, clio, taken):
    slot = {"vehicle": clio.pk, "start": "2026-12-01T10:00", "end": "2026-12-01T11:00"}
    page = member_client.post("/testville/bookings/new/", slot)
    assert page.status_code == 200
    assert 'action="/testville/bookings/waiting/"' in page.content.decode()
    response = member_client.post("/testville/bookings/waiting/", slot)
    assert response.status_code == 302
    assert response["Location"] == "/testville/bookings/"
    entry = WaitingEntry.objects.get()
    mine = member_client.get("/testville/bookings/").content.decode()
    assert f"/testville/bookings/waiting/{entry.pk}/leave/" in mine
    member_client.post(f"/testville/bookings/waiting/{entry.pk}/leave/")
    assert not WaitingEntry.objects.exists()


def test_leaving_through_the_api(api, clio, taken, member):
    entry = wait(member, clio, at(1, 10), at(1, 11))
    assert api.delete(f"{WAITING}{entry.pk}/").status_code == 204
    assert not WaitingEntry.objects.exists()
