"""Hostile readings of the owner's own time (issue 17): a period blocked by someone who
does not own the car, a booking sneaked into a blocked period through the API, a driver
lifting their own cap, another association's admin."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from bookings.models import Booking, Unavailability, UsageCap
from bookings.services.owner_time import Block, block_period, set_usage_cap
from members.models import Membership
from tests.bookings.helpers import shared_vehicle
from tests.factories.bookings import BookingFactory
from tests.factories.members import MembershipFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2027, 3, 18, 10, 0, tzinfo=PARIS)
API = "/api/v1/associations/testville"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def owner(association):
    return MembershipFactory(association=association)


@pytest.fixture
def clio(owner, member, admin):
    return shared_vehicle(owner, member, admin, name="Clio")


@pytest.fixture
def mornings(owner, clio):
    start = dt.datetime(2027, 3, 19, 7, 30, tzinfo=PARIS)
    return block_period(
        actor=owner, vehicle=clio, block=Block(start, start + dt.timedelta(minutes=90), "", 31)
    )


def api(membership):
    client = APIClient()
    client.force_authenticate(membership.user)
    return client


def test_a_member_cannot_block_a_car_they_do_not_own(member, clio):
    body = {"start": "2027-03-25T14:00:00+01:00", "end": "2027-03-25T18:00:00+01:00"}
    assert (
        api(member)
        .post(f"{API}/vehicles/{clio.pk}/unavailability/", body, format="json")
        .status_code
        == 403
    )
    page = Client()
    page.force_login(member.user)
    response = page.post(
        f"/testville/vehicles/{clio.pk}/owner-time/block/",
        {"start": "2027-03-25T14:00", "end": "2027-03-25T18:00"},
    )
    assert response.status_code == 403
    assert not Unavailability.objects.exists()


def test_another_association_s_admin_cannot_block_nor_free_it(other_association, clio, mornings):
    stranger = MembershipFactory(association=other_association, role=Membership.Role.ADMIN)
    body = {"start": "2027-03-25T14:00:00+01:00", "end": "2027-03-25T18:00:00+01:00"}
    assert (
        api(stranger)
        .post(f"{API}/vehicles/{clio.pk}/unavailability/", body, format="json")
        .status_code
        == 404
    )
    assert (
        api(stranger)
        .post(
            f"/api/v1/associations/ailleurs/vehicles/{clio.pk}/unavailability/", body, format="json"
        )
        .status_code
        == 404
    )
    assert (
        api(stranger)
        .delete(f"/api/v1/associations/ailleurs/vehicles/{clio.pk}/unavailability/{mornings.pk}/")
        .status_code
        == 404
    )
    assert Unavailability.objects.count() == 1


def test_a_member_cannot_free_the_owner_s_period(member, clio, mornings):
    response = api(member).delete(f"{API}/vehicles/{clio.pk}/unavailability/{mornings.pk}/")
    assert response.status_code == 403 and Unavailability.objects.filter(pk=mornings.pk).exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2027-03-22T08:00:00+01:00", "2027-03-22T08:30:00+01:00"),  # inside
        ("2027-03-22T06:00:00+01:00", "2027-03-22T12:00:00+01:00"),  # around
        ("2027-03-22T07:29:00Z", "2027-03-22T07:45:00Z"),  # the same minutes in UTC: 08:29 Paris
        ("2027-03-21T12:00:00+01:00", "2027-03-23T12:00:00+01:00"),  # across two mornings
    ],
)
def test_a_booking_sneaked_into_the_blocked_period_through_the_api_is_refused(
    member, clio, mornings, start, end
):
    response = api(member).post(
        f"{API}/bookings/", {"vehicle": clio.pk, "start": start, "end": end}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "vehicle_unavailable"
    assert not Booking.objects.exists()


def test_an_admin_booking_for_the_member_through_the_api_is_refused(admin, member, clio, mornings):
    response = api(admin).post(
        f"{API}/bookings/",
        {
            "vehicle": clio.pk,
            "driver": member.pk,
            "start": "2027-03-22T08:00:00+01:00",
            "end": "2027-03-22T09:00:00+01:00",
        },
        format="json",
    )
    assert response.status_code == 409 and not Booking.objects.exists()


def test_a_late_return_cannot_stretch_into_the_blocked_period(member, clio, mornings):
    booking = BookingFactory(
        vehicle=clio,
        driver=member,
        start=dt.datetime(2027, 3, 22, 5, tzinfo=PARIS),
        end=dt.datetime(2027, 3, 22, 7, tzinfo=PARIS),
        status=Booking.Status.IN_PROGRESS,
    )
    page = Client()
    page.force_login(member.user)
    page.post(f"/testville/bookings/{booking.pk}/late/", {"new_end": "2027-03-22T10:00"})
    booking.refresh_from_db()
    assert booking.end == dt.datetime(2027, 3, 22, 7, tzinfo=PARIS)


def test_a_driver_cannot_lift_their_own_cap(owner, member, clio):
    cap = set_usage_cap(actor=owner, vehicle=clio, driver=member, hours_per_month=2)
    page = Client()
    page.force_login(member.user)
    assert (
        page.post(f"/testville/vehicles/{clio.pk}/owner-time/caps/{cap.pk}/remove/").status_code
        == 403
    )
    assert (
        page.post(
            f"/testville/vehicles/{clio.pk}/owner-time/cap/",
            {"driver": member.pk, "hours_per_month": 744},
        ).status_code
        == 403
    )
    assert UsageCap.objects.get().hours_per_month == 2


def test_the_cap_is_not_bypassed_through_the_api(owner, member, clio):
    set_usage_cap(actor=owner, vehicle=clio, driver=member, hours_per_month=2)
    response = api(member).post(
        f"{API}/bookings/",
        {
            "vehicle": clio.pk,
            "start": "2027-03-22T10:00:00+01:00",
            "end": "2027-03-22T13:00:00+01:00",
        },
        format="json",
    )
    assert response.status_code == 403 and response.json()["code"] == "monthly_cap_reached"


@pytest.mark.parametrize(
    "body",
    [
        {"start": "2027-03-25T14:00:00+01:00", "end": "2027-03-25T18:00:00+01:00", "weekdays": [7]},
        {
            "start": "2027-03-25T14:00:00+01:00",
            "end": "2027-03-25T18:00:00+01:00",
            "weekdays": "all",
        },
        {"start": "2027-03-25T18:00:00+01:00", "end": "2027-03-25T14:00:00+01:00"},
        {"start": "9999-03-25T14:00:00+01:00", "end": "9999-03-25T18:00:00+01:00"},
        {
            "start": "2027-03-25T14:00:00+01:00",
            "end": "2027-03-25T18:00:00+01:00",
            "reason": "x" * 201,
        },
        {"start": "2027-03-25T14:00:00", "end": "2027-03-25T18:00:00", "repeat_until": "never"},
    ],
)
def test_bad_periods_through_the_api_are_400(owner, clio, body):
    response = api(owner).post(f"{API}/vehicles/{clio.pk}/unavailability/", body, format="json")
    assert response.status_code == 400 and not Unavailability.objects.exists()
