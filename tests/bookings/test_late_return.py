"""Late returns: when they may be reported, the vehicle's cap, the same rules as a booking."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bookings.models import Booking
from bookings.services.bookings import LateReturn, late_report_open, report_late_return
from core.errors import DomainError, ForbiddenError
from tests.bookings.helpers import shared_vehicle
from tests.factories.bookings import BookingFactory
from tests.security.helpers import trip_under_way

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def vehicle(admin, member):
    return shared_vehicle(admin, member)


def confirmed(vehicle, member, start, hours=3):
    return BookingFactory(
        vehicle=vehicle, driver=member, start=start, end=start + dt.timedelta(hours=hours)
    )


def slot(vehicle, member, start, hours=3, status=Booking.Status.CONFIRMED):
    """An unsaved booking: the rule reads its fields only (saved ones would overlap)."""
    end = start + dt.timedelta(hours=hours)
    return BookingFactory.build(vehicle=vehicle, driver=member, start=start, end=end, status=status)


def test_a_report_opens_when_the_trip_is_under_way_or_in_the_last_hour(vehicle, member):
    later = slot(vehicle, member, NOW + dt.timedelta(minutes=10), hours=0.5)
    assert not late_report_open(later, NOW)  # its last hour has begun, not the trip
    started = slot(vehicle, member, NOW - dt.timedelta(hours=2))
    assert late_report_open(started, NOW)  # started, ends within the hour
    long = slot(vehicle, member, NOW - dt.timedelta(hours=1), hours=5)
    assert not late_report_open(long, NOW)  # booked, not checked out, hours to go
    out = slot(vehicle, member, NOW - dt.timedelta(hours=5), status=Booking.Status.IN_PROGRESS)
    assert late_report_open(out, NOW)  # checked out, already late
    done = slot(vehicle, member, NOW - dt.timedelta(hours=9), status=Booking.Status.COMPLETED)
    assert not late_report_open(done, NOW)


def test_the_cap_is_the_vehicles(vehicle, member):
    vehicle.max_late_extension_hours = 2
    vehicle.save()
    booking = trip_under_way(vehicle, member, NOW - dt.timedelta(hours=1))  # ends at 14:00
    with pytest.raises(DomainError) as error:
        report_late_return(actor=member, booking=booking, new_end=NOW + dt.timedelta(hours=5))
    assert error.value.code == "late_over_cap"
    outcome, _next = report_late_return(
        actor=member, booking=booking, new_end=NOW + dt.timedelta(hours=4)
    )
    assert outcome is LateReturn.EXTENDED


def test_a_trip_already_late_may_be_reported_but_not_into_the_past(vehicle, member):
    booking = trip_under_way(vehicle, member, NOW - dt.timedelta(hours=5))  # ended at 10:00
    with pytest.raises(DomainError) as error:
        report_late_return(actor=member, booking=booking, new_end=NOW - dt.timedelta(hours=1))
    assert error.value.code == "late_in_past"
    report_late_return(actor=member, booking=booking, new_end=NOW + dt.timedelta(hours=1))
    booking.refresh_from_db()
    assert booking.end == NOW + dt.timedelta(hours=1)


def test_the_extension_is_checked_like_a_booking(vehicle, member):
    policy = vehicle.insurance_policies.get()
    policy.valid_until = NOW.date()
    policy.save()
    booking = trip_under_way(vehicle, member, NOW - dt.timedelta(hours=1))
    with pytest.raises(ForbiddenError) as error:
        report_late_return(actor=member, booking=booking, new_end=NOW + dt.timedelta(hours=20))
    assert error.value.code == "insurance_invalid"
    booking.refresh_from_db()
    assert booking.end == NOW + dt.timedelta(hours=2)


def test_another_member_cannot_report_for_the_driver(vehicle, member, association):
    from tests.factories.members import MembershipFactory

    booking = trip_under_way(vehicle, member, NOW - dt.timedelta(hours=1))
    with pytest.raises(ForbiddenError):
        report_late_return(
            actor=MembershipFactory(association=association),
            booking=booking,
            new_end=NOW + dt.timedelta(hours=3),
        )


def test_the_booking_page_offers_the_report_only_when_it_is_open(member_client, vehicle, member):
    later = confirmed(vehicle, member, NOW + dt.timedelta(days=1))
    page = member_client.get(f"/testville/bookings/{later.pk}/")
    assert not page.context["can_report_late"]
    under_way = trip_under_way(vehicle, member, NOW - dt.timedelta(hours=1))
    page = member_client.get(f"/testville/bookings/{under_way.pk}/")
    assert page.context["can_report_late"]
