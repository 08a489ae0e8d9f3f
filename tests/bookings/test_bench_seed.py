"""seed_bench's bookings, trips, agreements and ledger postings are consistent, on whichever
database runs the tests (SQLite by default; PostgreSQL with DATABASE_URL, where the
exclusion constraint and the deferred balance trigger check them again at each commit)."""

import datetime as dt
import io
import itertools
import json
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from bookings.eligibility import check_eligibility
from bookings.models import Booking, Trip
from contracts.models import Agreement
from contracts.selectors import agreement_status_for
from ledger.models import LedgerTransaction, Leg
from ledger.pricing import estimate_trip_cost
from members.models import Membership
from vehicles.models import Vehicle
from vehicles.selectors import tariff_on

pytestmark = pytest.mark.django_db(transaction=True)

TINY = ["--associations", "2", "--vehicles", "2", "--months", "1"]


@pytest.fixture
def accounts(settings, tmp_path):
    settings.DEBUG = True
    out = tmp_path / "accounts.json"
    call_command(
        "seed_bench", *TINY, "--accounts-out", str(out), stdout=io.StringIO(), stderr=io.StringIO()
    )
    return json.loads(out.read_text())["accounts"]


def test_blocking_bookings_of_a_vehicle_never_overlap(accounts):
    by_vehicle = defaultdict(list)
    for booking in Booking.objects.order_by("start"):
        assert booking.start < booking.end <= booking.blocks_until
        by_vehicle[booking.vehicle_id].append(booking)
    assert len(by_vehicle) == 4
    for bookings in by_vehicle.values():
        for previous, following in itertools.pairwise(bookings):
            assert previous.blocks_until <= following.start


def test_statuses_are_those_of_a_real_history(accounts):
    now = timezone.now()
    statuses = set(Booking.objects.values_list("status", flat=True))
    assert {Booking.Status.COMPLETED, Booking.Status.CONFIRMED} <= statuses
    assert not Booking.objects.filter(status=Booking.Status.COMPLETED, end__gt=now).exists()
    assert not Booking.objects.filter(
        status__in=[Booking.Status.REQUESTED, Booking.Status.CONFIRMED], start__lt=now
    ).exists()
    assert Trip.objects.filter(booking__status=Booking.Status.COMPLETED).count() == (
        Booking.objects.filter(status=Booking.Status.COMPLETED).count()
    )
    assert not Trip.objects.exclude(
        booking__status__in=[Booking.Status.COMPLETED, Booking.Status.IN_PROGRESS]
    ).exists()


def test_odometers_chain_from_one_trip_to_the_next(accounts):
    for vehicle in Vehicle.objects.all():
        trips = list(Trip.objects.filter(booking__vehicle=vehicle).order_by("booking__start"))
        assert trips
        for previous, following in itertools.pairwise(trips):
            assert previous.odometer_in is not None
            assert following.previous_odometer_in == previous.odometer_in
            assert following.odometer_out == previous.odometer_in + (following.odometer_gap_km or 0)
            assert bool(following.gap_explanation) == bool(following.odometer_gap_km)


def test_each_completed_trip_is_charged_once_and_every_posting_balances(accounts):
    completed = Booking.objects.filter(status=Booking.Status.COMPLETED)
    references = set(LedgerTransaction.objects.values_list("reference", flat=True))
    assert references == {f"booking:{pk}" for pk in completed.values_list("pk", flat=True)}
    # Summed in Python: SQLite adds decimals as floats.
    by_transaction: dict[int, Decimal] = defaultdict(Decimal)
    by_association: dict[int, Decimal] = defaultdict(Decimal)
    for txn_id, association_id, amount in Leg.objects.values_list(
        "transaction_id", "account__association_id", "amount"
    ):
        by_transaction[txn_id] += amount
        by_association[association_id] += amount
    assert set(by_transaction.values()) == {Decimal("0.00")}
    assert set(by_association.values()) == {Decimal("0.00")}
    assert Leg.objects.exists()


def test_a_trip_charge_is_what_the_posting_service_computes(accounts):
    for trip in Trip.objects.filter(checked_in_at__isnull=False).select_related(
        "booking__vehicle__association", "booking__driver"
    ):
        booking = trip.booking
        txn = LedgerTransaction.objects.get(reference=f"booking:{booking.pk}")
        tz = booking.vehicle.association.tz
        started = min(booking.start, trip.checked_out_at)
        ended = max(booking.end, trip.checked_in_at)
        tariff = tariff_on(booking.vehicle, started.astimezone(tz).date())
        price = estimate_trip_cost(
            tariff=tariff, km=trip.km, started_at=started, ended_at=ended, tz=tz
        )
        assert (txn.amount, txn.km, txn.driver_id, txn.tariff_id) == (
            price,
            trip.km,
            booking.driver_id,
            tariff.pk,
        )
        driver_leg = txn.legs.filter(account__membership=booking.driver).first()
        if driver_leg is not None and price:
            assert driver_leg.amount < 0  # the driver pays (an owner's own trip nets to nothing)


def test_drivers_are_owners_or_hold_an_agreement(accounts):
    for booking in Booking.objects.select_related("vehicle", "driver"):
        driver, vehicle = booking.driver, booking.vehicle
        owner = vehicle.ownerships.filter(owner=driver).exists()
        agreement = Agreement.objects.filter(vehicle=vehicle, driver=driver).exists()
        assert owner or agreement, booking.pk


def test_bench_accounts_can_book_what_the_scenarios_book(accounts):
    members = [a for a in accounts if a["role"] == "member"]
    assert members and all("bookable_vehicle_ids" in a for a in members)
    for account in members:
        driver = Membership.objects.get(pk=account["membership_id"])
        start = dt.datetime.fromisoformat(account["slots_from"].replace("Z", "+00:00"))
        assert start > Booking.objects.latest("end").end
        for vehicle in Vehicle.objects.filter(pk__in=account["bookable_vehicle_ids"]):
            eligibility = check_eligibility(
                driver=driver, vehicle=vehicle, start=start, end=start + dt.timedelta(hours=1)
            )
            assert eligibility.allowed and not eligibility.warnings
        agreement = Agreement.objects.get(pk=account["agreement_id"])
        assert agreement.status == Agreement.Status.SIGNED and agreement.pdf
        assert agreement_status_for(membership=driver, vehicle=agreement.vehicle) == "current"
