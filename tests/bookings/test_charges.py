"""Check-in and the ledger: a trip and its charge commit together or not at all."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bookings.models import Booking, Trip
from bookings.services import charges
from bookings.services.logbook import LogbookLine, enter_past_trip
from bookings.services.receipts import ReceiptInput
from bookings.services.trips import Reading, Return, check_in, check_out
from core.errors import DomainError
from ledger.models import LedgerTransaction
from tests.factories.bookings import BookingFactory
from tests.factories.vehicles import owned_vehicle, png_upload

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def booking(admin, member):
    vehicle = owned_vehicle(admin)
    return BookingFactory(
        vehicle=vehicle,
        driver=member,
        start=NOW - dt.timedelta(minutes=5),
        end=NOW + dt.timedelta(hours=3, minutes=55),
    )


def test_check_in_posts_the_trip_charge_and_the_fuel_receipt(member, booking):
    check_out(actor=member, booking=booking, reading=Reading(1000, 60))
    receipt = ReceiptInput(Decimal("30.00"), NOW.date(), png_upload())  # small, with a photo
    report = Return(reading=Reading(1123, 40), receipts=[receipt])
    check_in(actor=member, booking=booking, report=report)
    charge = LedgerTransaction.objects.get(reference=f"booking:{booking.pk}")
    assert charge.amount == Decimal("36.90")  # 123 km at 0.30 €/km
    assert LedgerTransaction.objects.filter(reference__startswith="fuel:").count() == 1


def test_a_failure_in_posting_leaves_no_trip_checked_in(member, booking, monkeypatch):
    check_out(actor=member, booking=booking, reading=Reading(1000, 60))

    def broken(**kwargs):
        raise DomainError("ledger closed", code="period_closed")

    monkeypatch.setattr(charges, "post_trip_charge", broken)
    report = Return(
        reading=Reading(1123, 40), receipts=[ReceiptInput(Decimal("30.00"), NOW.date())]
    )
    with pytest.raises(DomainError):
        check_in(actor=member, booking=booking, report=report)
    trip = Trip.objects.get(booking=booking)
    assert trip.odometer_in is None and trip.checked_in_at is None
    assert not trip.fuel_receipts.exists()
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.IN_PROGRESS
    assert not LedgerTransaction.objects.exists()


def test_a_failure_in_posting_leaves_no_past_trip(admin, member, monkeypatch):
    vehicle = owned_vehicle(admin)

    def broken(**kwargs):
        raise DomainError("ledger closed", code="period_closed")

    monkeypatch.setattr(charges, "post_trip_charge", broken)
    line = LogbookLine(
        driver=member,
        vehicle=vehicle,
        start=NOW - dt.timedelta(days=2),
        end=NOW - dt.timedelta(days=2) + dt.timedelta(hours=3),
        reading_out=Reading(500, 50),
        reading_in=Reading(540, 40),
    )
    with pytest.raises(DomainError):
        enter_past_trip(actor=admin, line=line)
    assert not Booking.objects.exists() and not Trip.objects.exists()


def test_owner_trips_are_free_and_the_estimate_says_so(admin, member):
    vehicle = owned_vehicle(admin)
    start, end = NOW + dt.timedelta(days=1), NOW + dt.timedelta(days=1, hours=3)
    assert charges.estimated_cost(driver=admin, vehicle=vehicle, start=start, end=end, km=50) == 0
    estimate = charges.estimated_cost(driver=member, vehicle=vehicle, start=start, end=end, km=50)
    assert estimate == Decimal("15.00")
