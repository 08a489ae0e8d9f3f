import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from bookings.models import Booking, Trip
from tests.bookings.helpers import shared_vehicle
from tests.factories.bookings import BookingFactory
from tests.factories.vehicles import owned_vehicle

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)
BASE = "/api/v1/associations/testville"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def vehicle(admin, member):
    return shared_vehicle(admin, member)


def slot(day=1, start=9, end=12):
    return {
        "start": f"2026-12-{day:02d}T{start:02d}:00:00+01:00",
        "end": f"2026-12-{day:02d}T{end:02d}:00:00+01:00",
    }


def test_create_answers_201_with_the_status(api, vehicle):
    response = api.post(
        f"{BASE}/bookings/", {"vehicle": vehicle.pk, "note": "Marché", **slot()}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["status"] == "confirmed"


def test_overlap_answers_409_overlap(api, admin, vehicle):
    BookingFactory(
        vehicle=vehicle,
        driver=admin,
        start=dt.datetime(2026, 12, 1, 9, tzinfo=PARIS),
        end=dt.datetime(2026, 12, 1, 12, tzinfo=PARIS),
    )
    response = api.post(f"{BASE}/bookings/", {"vehicle": vehicle.pk, **slot()}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "overlap"


def test_ineligible_driver_answers_403_with_the_reason(api, member, vehicle):
    member.user.driver_profile.delete()
    response = api.post(f"{BASE}/bookings/", {"vehicle": vehicle.pk, **slot()}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "profile_incomplete"


@pytest.mark.parametrize(
    "payload",
    [
        {"start": "2026-12-01T12:00:00+01:00", "end": "2026-12-01T09:00:00+01:00"},
        {"start": "2026-11-01T12:00:00+01:00", "end": "2026-11-01T14:00:00+01:00"},
        {"start": "not a date", "end": "2026-12-01T09:00:00+01:00"},
        {"start": "9999-12-31T23:59:59Z", "end": "9999-12-31T23:59:59Z"},
        {},
    ],
)
def test_bad_input_answers_400(api, vehicle, payload):
    response = api.post(f"{BASE}/bookings/", {"vehicle": vehicle.pk, **payload}, format="json")
    assert response.status_code == 400
    assert not Booking.objects.exists()


def test_unknown_or_foreign_vehicle_answers_404(api, outsider):
    foreign = owned_vehicle(outsider)
    for pk in (foreign.pk, 999_999):
        response = api.post(f"{BASE}/bookings/", {"vehicle": pk, **slot()}, format="json")
        assert response.status_code == 404


def test_foreign_booking_answers_404(api, outsider):
    foreign = BookingFactory(vehicle=owned_vehicle(outsider), driver=outsider)
    assert api.get(f"{BASE}/bookings/{foreign.pk}/").status_code == 404
    assert api.post(f"{BASE}/bookings/{foreign.pk}/cancel/").status_code == 404


def test_list_and_detail(api, member, vehicle):
    booking = BookingFactory(vehicle=vehicle, driver=member)
    listing = api.get(f"{BASE}/bookings/").json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == booking.pk
    assert api.get(f"{BASE}/bookings/{booking.pk}/").json()["driver"] == member.pk


def test_approve_refuse_cancel(api, member, admin, vehicle):
    vehicle.approval_required = True
    vehicle.save()
    booking = api.post(f"{BASE}/bookings/", {"vehicle": vehicle.pk, **slot()}, format="json").json()
    assert booking["status"] == "requested"
    assert api.post(f"{BASE}/bookings/{booking['id']}/approve/").status_code == 403
    owner = APIClient()
    owner.force_authenticate(admin.user)
    response = owner.post(f"{BASE}/bookings/{booking['id']}/refuse/", {"reason": ""}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "reason_required"
    response = owner.post(f"{BASE}/bookings/{booking['id']}/approve/")
    assert response.json()["status"] == "confirmed"
    response = api.post(f"{BASE}/bookings/{booking['id']}/cancel/")
    assert response.json()["status"] == "cancelled"
    assert api.post(f"{BASE}/bookings/{booking['id']}/cancel/").status_code == 409


def test_checkout_and_checkin(api, member, vehicle):
    booking = BookingFactory(vehicle=vehicle, driver=member, start=NOW - dt.timedelta(minutes=10))
    url = f"{BASE}/bookings/{booking.pk}"
    assert (
        api.post(f"{url}/checkout/", {"odometer": -1, "fuel_level": 50}, format="json").status_code
        == 400
    )
    response = api.post(f"{url}/checkout/", {"odometer": 1000, "fuel_level": 50}, format="json")
    assert response.status_code == 201
    bad = {"odometer": 900, "fuel_level": 40}
    response = api.post(f"{url}/checkin/", bad, format="json")
    assert response.status_code == 400 and response.json()["code"] == "odometer_decreasing"
    receipt = {"amount": "-5", "date": "2026-11-26"}
    response = api.post(
        f"{url}/checkin/",
        {"odometer": 1100, "fuel_level": 40, "fuel_receipts": [receipt]},
        format="json",
    )
    assert response.status_code == 400
    receipt["amount"] = "25.00"
    response = api.post(
        f"{url}/checkin/",
        {"odometer": 1100, "fuel_level": 40, "fuel_receipts": [receipt], "damage": ""},
        format="json",
    )
    assert response.status_code == 200 and response.json()["km"] == 100
    assert Trip.objects.get().fuel_receipts.count() == 1


def test_availability_lists_free_cars(api, admin, vehicle):
    other = owned_vehicle(admin, name="Zoé", energy="electric")
    BookingFactory(
        vehicle=vehicle,
        driver=admin,
        start=dt.datetime(2026, 12, 1, 9, tzinfo=PARIS),
        end=dt.datetime(2026, 12, 1, 12, tzinfo=PARIS),
    )
    response = api.get(f"{BASE}/availability/", slot())
    assert [v["id"] for v in response.json()] == [other.pk]
    assert api.get(f"{BASE}/availability/", {"start": "x"}).status_code == 400
