import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bookings.models import Booking
from bookings.services.trips import (
    Reading,
    ReceiptInput,
    Return,
    check_in,
    check_out,
    is_implausible,
)
from core.errors import DomainError, ForbiddenError
from tests.bookings.helpers import shared_vehicle
from tests.factories.bookings import BookingFactory, TripFactory
from tests.factories.members import MembershipFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def vehicle(admin, member):
    return shared_vehicle(admin, member)


@pytest.fixture
def booking(vehicle, member):
    TripFactory(
        booking__vehicle=vehicle,
        booking__driver=member,
        booking__start=NOW - dt.timedelta(days=2),
        odometer_out=10_000,
        odometer_in=10_080,
    )
    return BookingFactory(vehicle=vehicle, driver=member, start=NOW - dt.timedelta(minutes=5))


def test_odometer_out_equal_to_the_last_odometer_in_chains(member, booking):
    trip = check_out(actor=member, booking=booking, reading=Reading(10_080, 60))
    assert trip.previous_odometer_in == 10_080 and trip.odometer_gap_km is None
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.IN_PROGRESS


def test_a_gap_is_never_silently_accepted(member, booking):
    with pytest.raises(DomainError) as error:
        check_out(actor=member, booking=booking, reading=Reading(10_130, 60))
    assert error.value.code == "odometer_gap" and error.value.extra["gap_km"] == 50
    trip = check_out(
        actor=member,
        booking=booking,
        reading=Reading(10_130, 60),
        gap_explanation="Trajet du propriétaire non noté",
    )
    assert trip.odometer_gap_km == 50


def test_a_decreasing_odometer_is_refused(member, booking):
    with pytest.raises(DomainError) as error:
        check_out(actor=member, booking=booking, reading=Reading(9_000, 60))
    assert error.value.code == "odometer_decreasing"
    with pytest.raises(DomainError) as error:
        check_out(actor=member, booking=booking, reading=Reading(-1, 60))
    assert error.value.code == "odometer_invalid"


def test_check_out_is_for_the_driver_and_managers_in_the_window(member, booking, association):
    with pytest.raises(ForbiddenError):
        check_out(
            actor=MembershipFactory(association=association),
            booking=booking,
            reading=Reading(10_080, 60),
        )
    booking.start = NOW + dt.timedelta(hours=3)
    booking.end = booking.blocks_until = NOW + dt.timedelta(hours=5)
    booking.save()
    with pytest.raises(DomainError) as error:
        check_out(actor=member, booking=booking, reading=Reading(10_080, 60))
    assert error.value.code == "not_now"


def test_check_in_records_receipts_and_flags_implausible_km(member, booking):
    check_out(actor=member, booking=booking, reading=Reading(10_080, 60))
    report = Return(
        reading=Reading(11_000, 30),
        receipts=[ReceiptInput(Decimal("45.10"), dt.date(2026, 11, 26))],
        parked_at="Devant la mairie",
        damage="Rétroviseur gauche fêlé",
    )
    trip = check_in(actor=member, booking=booking, report=report)
    assert trip.km == 920 and trip.implausible_km
    assert trip.fuel_receipts.get().amount == Decimal("45.10")
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.COMPLETED


def test_check_in_refuses_bad_receipts_and_a_lower_odometer(member, booking):
    check_out(actor=member, booking=booking, reading=Reading(10_080, 60))
    bad_receipt = Return(
        reading=Reading(10_100, 30), receipts=[ReceiptInput(Decimal("-5"), dt.date(2026, 11, 26))]
    )
    with pytest.raises(DomainError) as error:
        check_in(actor=member, booking=booking, report=bad_receipt)
    assert error.value.code == "amount_invalid"
    with pytest.raises(DomainError) as error:
        check_in(actor=member, booking=booking, report=Return(reading=Reading(10_000, 30)))
    assert error.value.code == "odometer_decreasing"
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.IN_PROGRESS


def test_implausible_means_faster_than_130_kmh_on_average():
    start = dt.datetime(2026, 11, 26, 8, tzinfo=PARIS)
    assert not is_implausible(390, start, start + dt.timedelta(hours=3))
    assert is_implausible(391, start, start + dt.timedelta(hours=3))
    assert not is_implausible(130, start, start + dt.timedelta(minutes=10))
