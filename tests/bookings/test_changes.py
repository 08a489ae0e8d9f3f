"""Changing a booking: the page and PATCH /api/v1/associations/{slug}/bookings/{id}/."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bookings.models import Booking
from tests.bookings.helpers import shared_vehicle
from tests.factories.bookings import BookingFactory
from vehicles.models import InsurancePolicy

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)
BASE = "/api/v1/associations/testville/bookings"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clio(admin, member):
    return shared_vehicle(admin, member, name="Clio")


@pytest.fixture
def booking(clio, member):
    start = dt.datetime(2026, 12, 1, 9, tzinfo=PARIS)
    return BookingFactory(
        vehicle=clio, driver=member, start=start, end=start + dt.timedelta(hours=3)
    )


def at(day: int, hour: int) -> str:
    return dt.datetime(2026, 12, day, hour, tzinfo=PARIS).isoformat()


def test_a_booking_moved_to_another_time_answers_200_with_the_booking(api, booking):
    response = api.patch(
        f"{BASE}/{booking.pk}/", {"start": at(2, 14), "end": at(2, 16)}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["id"], body["status"]) == (booking.pk, "confirmed")
    booking.refresh_from_db()
    assert booking.start == dt.datetime(2026, 12, 2, 14, tzinfo=PARIS)
    assert booking.blocks_until == booking.end


def test_a_booking_moved_to_another_car(api, booking, admin, member):
    zoe = shared_vehicle(admin, member, name="Zoé")
    response = api.patch(f"{BASE}/{booking.pk}/", {"vehicle": zoe.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["vehicle"] == zoe.pk


def test_an_overlapping_change_answers_409_and_keeps_the_old_slot(api, booking, clio, admin):
    BookingFactory(vehicle=clio, driver=admin, start=dt.datetime(2026, 12, 2, 9, tzinfo=PARIS))
    response = api.patch(
        f"{BASE}/{booking.pk}/", {"start": at(2, 10), "end": at(2, 11)}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (409, "overlap")
    booking.refresh_from_db()
    assert booking.start == dt.datetime(2026, 12, 1, 9, tzinfo=PARIS)


def test_a_change_onto_a_car_the_driver_may_not_drive_answers_403_with_the_reason(
    api, booking, admin, member
):
    van = shared_vehicle(admin, member, name="Trafic")
    van.insurance_policies.update(
        young_driver_rule=InsurancePolicy.YoungDriverRule.FORBIDDEN, min_driver_age=99
    )
    response = api.patch(f"{BASE}/{booking.pk}/", {"vehicle": van.pk}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "young_driver_forbidden"
    booking.refresh_from_db()
    assert booking.vehicle_id != van.pk


@pytest.mark.parametrize(
    "payload",
    [{"start": "not a date"}, {"vehicle": 0}, {"start": at(1, 12), "end": at(1, 9)}],
)
def test_bad_input_answers_400(api, booking, payload):
    response = api.patch(f"{BASE}/{booking.pk}/", payload, format="json")
    assert response.status_code == 400


def test_a_car_that_needs_approval_asks_the_owner_again(api, booking, clio):
    clio.approval_required = True
    clio.save(update_fields=["approval_required"])
    response = api.patch(
        f"{BASE}/{booking.pk}/", {"start": at(3, 9), "end": at(3, 10)}, format="json"
    )
    assert response.json()["status"] == "requested"


def test_the_page_moves_the_booking(member_client, booking, clio):
    url = f"/testville/bookings/{booking.pk}/change/"
    assert member_client.get(url).status_code == 200
    response = member_client.post(
        url, {"vehicle": clio.pk, "start": "2026-12-04T08:00", "end": "2026-12-04T10:00"}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.start == dt.datetime(2026, 12, 4, 8, tzinfo=PARIS)


def test_the_page_shows_a_refusal_and_changes_nothing(member_client, booking, clio, admin):
    BookingFactory(vehicle=clio, driver=admin, start=dt.datetime(2026, 12, 4, 9, tzinfo=PARIS))
    response = member_client.post(
        f"/testville/bookings/{booking.pk}/change/",
        {"vehicle": clio.pk, "start": "2026-12-04T08:00", "end": "2026-12-04T10:00"},
    )
    assert response.status_code == 200
    assert "déjà réservé" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).start.day == 1


def test_the_owner_and_the_next_driver_are_told_of_a_change(api, booking, clio, admin, association):
    from notifications.models import Notification
    from tests.factories.members import DriverProfileFactory, MembershipFactory

    nextdoor = MembershipFactory(association=association)
    DriverProfileFactory(user=nextdoor.user)
    BookingFactory(vehicle=clio, driver=nextdoor, start=dt.datetime(2026, 12, 2, 18, tzinfo=PARIS))
    response = api.patch(
        f"{BASE}/{booking.pk}/", {"start": at(2, 14), "end": at(2, 17)}, format="json"
    )
    assert response.status_code == 200
    told = Notification.objects.filter(kind="booking_changed")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [admin.user_id, nextdoor.user_id]
    )  # the driver changed it themselves: not told
    assert len({n.key for n in told}) == 1
    to_next = told.get(recipient=nextdoor.user)
    assert "18:00" in to_next.body
    # a second change is a new occasion: told again, once
    api.patch(f"{BASE}/{booking.pk}/", {"end": at(2, 16)}, format="json")
    assert told.filter(recipient=admin.user).count() == 2


def test_a_change_by_the_owner_tells_the_driver(booking, admin, member):
    from bookings.services.changes import change_booking
    from notifications.models import Notification

    start = dt.datetime(2026, 12, 3, 9, tzinfo=PARIS)
    change_booking(actor=admin, booking=booking, start=start, end=start + dt.timedelta(hours=2))
    told = Notification.objects.filter(kind="booking_changed")
    assert list(told.values_list("recipient_id", flat=True)) == [member.user_id]
