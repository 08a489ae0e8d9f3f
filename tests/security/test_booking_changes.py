"""Hostile reading of issue 16's write paths: changing a booking and booking a series
(page and API). Another member's booking is 403, another association's 404, a change that
breaks a rule is refused with its code and changes nothing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from bookings.models import Booking
from tests.bookings.helpers import shared_vehicle
from tests.factories.bookings import BookingFactory
from tests.factories.members import DriverProfileFactory, MembershipFactory
from vehicles.models import InsurancePolicy

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)
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
def clio(admin, member):
    return shared_vehicle(admin, member, name="Clio")


@pytest.fixture
def bookings_of_member(clio, member):
    start = dt.datetime(2026, 12, 1, 9, tzinfo=PARIS)
    return BookingFactory(vehicle=clio, driver=member, start=start)


@pytest.fixture
def neighbour(association):
    """Another member of the same association: sees the planning, drives none of this."""
    membership = MembershipFactory(association=association)
    DriverProfileFactory(user=membership.user)
    return membership


MOVE = {"start": "2026-12-02T09:00:00+01:00", "end": "2026-12-02T10:00:00+01:00"}


def unchanged(booking) -> bool:
    fresh = Booking.objects.get(pk=booking.pk)
    return (fresh.start, fresh.end, fresh.vehicle_id) == (
        booking.start,
        booking.end,
        booking.vehicle_id,
    )


def test_another_members_booking_cannot_be_changed(neighbour, bookings_of_member, client):
    response = api_for(neighbour).patch(f"{API}/{bookings_of_member.pk}/", MOVE, format="json")
    assert response.status_code == 403
    client.force_login(neighbour.user)
    page = f"/testville/bookings/{bookings_of_member.pk}/change/"
    assert client.get(page).status_code == 403
    assert (
        client.post(page, {"start": "2026-12-02T09:00", "end": "2026-12-02T10:00"}).status_code
        == 403
    )
    assert unchanged(bookings_of_member)


def test_another_associations_booking_is_not_found(outsider, bookings_of_member, client):
    response = api_for(outsider).patch(f"{API}/{bookings_of_member.pk}/", MOVE, format="json")
    assert response.status_code == 404
    foreign = f"/api/v1/associations/{outsider.association.slug}/bookings/{bookings_of_member.pk}/"
    assert api_for(outsider).patch(foreign, MOVE, format="json").status_code == 404
    client.force_login(outsider.user)
    assert client.get(f"/testville/bookings/{bookings_of_member.pk}/change/").status_code == 404
    assert unchanged(bookings_of_member)


def test_a_move_onto_another_associations_car_is_not_found(member, outsider, bookings_of_member):
    theirs = shared_vehicle(outsider, name="Leur Clio")
    response = api_for(member).patch(
        f"{API}/{bookings_of_member.pk}/", {"vehicle": theirs.pk}, format="json"
    )
    assert response.status_code == 404
    assert unchanged(bookings_of_member)


def test_a_change_that_breaks_eligibility_is_refused_with_its_code(
    member, bookings_of_member, clio
):
    clio.insurance_policies.update(
        young_driver_rule=InsurancePolicy.YoungDriverRule.FORBIDDEN, min_driver_age=99
    )
    response = api_for(member).patch(f"{API}/{bookings_of_member.pk}/", MOVE, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "young_driver_forbidden")
    assert unchanged(bookings_of_member)


def test_a_change_onto_a_taken_slot_is_a_409_overlap(member, admin, bookings_of_member, clio):
    BookingFactory(vehicle=clio, driver=admin, start=dt.datetime(2026, 12, 2, 8, tzinfo=PARIS))
    response = api_for(member).patch(f"{API}/{bookings_of_member.pk}/", MOVE, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "overlap")
    assert unchanged(bookings_of_member)


def series(vehicle, count):
    return {
        "vehicle": vehicle.pk,
        "start": "2026-12-05T08:00:00+01:00",
        "end": "2026-12-05T12:00:00+01:00",
        "every": "week",
        "count": count,
    }


def test_a_series_of_27_is_refused_whole(member, clio, client):
    response = api_for(member).post(f"{API}/series/", series(clio, 27), format="json")
    assert response.status_code == 400
    client.force_login(member.user)
    form = {**series(clio, 27), "start": "2026-12-05T08:00", "end": "2026-12-05T12:00"}
    assert client.post("/testville/bookings/series/new/", form).status_code == 200
    assert not Booking.objects.exists()


def test_a_series_on_another_associations_car_is_not_found(member, outsider):
    theirs = shared_vehicle(outsider, name="Leur Clio")
    response = api_for(member).post(f"{API}/series/", series(theirs, 3), format="json")
    assert response.status_code == 404
    assert not Booking.objects.exists()


def test_the_rest_of_another_members_series_cannot_be_cancelled(member, neighbour, clio, client):
    body = api_for(member).post(f"{API}/series/", series(clio, 3), format="json").json()
    first = body["created"][0]["id"]
    client.force_login(neighbour.user)
    assert client.post(f"/testville/bookings/{first}/cancel-series/").status_code == 403
    assert set(Booking.objects.values_list("status", flat=True)) == {"confirmed"}
