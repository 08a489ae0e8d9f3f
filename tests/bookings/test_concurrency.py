"""No overlap under concurrency: 20 threads ask for overlapping slots of one car at once.

Each run widens the window between the overlap check and the insert (a short sleep), so
that without the guard the requests really interleave; the control run shows that the
test then sees several winners and overlapping bookings."""

from __future__ import annotations

import datetime as dt
import threading
import time
from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.utils import timezone

from bookings.db import no_overlap_constraint
from bookings.models import Booking
from bookings.services import bookings as booking_services
from bookings.services import guard
from core.errors import ConflictError
from tests.bookings.helpers import overlapping_pairs, shared_vehicle
from tests.conftest import require_postgresql
from tests.factories.members import AssociationFactory, DriverProfileFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 20
WINDOW_SECONDS = 0.05
# Without the guard nothing is serialised, so a long window costs ~1 s once, and it keeps the
# control meaningful on a loaded machine, where 20 threads reach the check spread over more
# than 50 ms (CI seen with a single winner at 0.05 s).
CONTROL_WINDOW_SECONDS = 1.0


@pytest.fixture
def race_world():
    association = AssociationFactory()
    owner = MembershipFactory(association=association)
    DriverProfileFactory(user=owner.user)
    drivers = []
    for _ in range(THREADS):
        driver = MembershipFactory(association=association)
        DriverProfileFactory(user=driver.user)
        drivers.append(driver)
    vehicle = shared_vehicle(owner, *drivers)
    return vehicle, drivers


def widen_window(monkeypatch, seconds: float) -> None:
    """Sleep between the overlap check and the insert, inside whatever guard is in force."""
    original = booking_services.ensure_no_overlap

    def slow_check(**kwargs):
        original(**kwargs)
        time.sleep(seconds)

    monkeypatch.setattr(booking_services, "ensure_no_overlap", slow_check)


@pytest.fixture
def wide_window(monkeypatch):
    widen_window(monkeypatch, WINDOW_SECONDS)


def race(vehicle, drivers) -> list[str]:
    """Every driver asks at the same moment for a slot overlapping all the others."""
    base = timezone.now() + dt.timedelta(days=2)
    barrier = threading.Barrier(len(drivers))
    outcomes: list[str] = []
    lock = threading.Lock()

    def ask(index: int, driver) -> None:
        start = base + dt.timedelta(minutes=5 * index)
        try:
            barrier.wait(timeout=30)
            booking_services.create_booking(
                actor=driver,
                driver=driver,
                vehicle=vehicle,
                start=start,
                end=start + dt.timedelta(hours=3),
            )
            outcome = "won"
        except ConflictError as error:
            outcome = error.code
        except Exception as error:
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=ask, args=(i, d)) for i, d in enumerate(drivers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def assert_one_winner(outcomes, vehicle):
    assert len(outcomes) == THREADS
    assert outcomes.count("won") == 1, outcomes
    assert outcomes.count("overlap") == THREADS - 1, outcomes
    assert overlapping_pairs(vehicle) == []
    assert Booking.objects.filter(vehicle=vehicle).count() == 1


def test_twenty_concurrent_requests_give_exactly_one_booking(race_world, wide_window):
    vehicle, drivers = race_world
    assert_one_winner(race(vehicle, drivers), vehicle)


@contextmanager
def no_guard(vehicle):
    """The control: check and insert in separate autocommit statements, nothing serialised."""
    yield


@contextmanager
def without_exclusion_constraint():
    if connection.vendor != "postgresql":
        yield
        return
    with connection.schema_editor() as editor:
        editor.remove_constraint(Booking, no_overlap_constraint())
    try:
        yield
    finally:
        Booking.objects.all().delete()
        with connection.schema_editor() as editor:
            editor.add_constraint(Booking, no_overlap_constraint())


def test_control_without_the_guard_the_race_test_sees_overlaps(race_world, monkeypatch):
    vehicle, drivers = race_world
    widen_window(monkeypatch, CONTROL_WINDOW_SECONDS)
    monkeypatch.setattr(booking_services, "vehicle_write_lock", no_guard)
    with without_exclusion_constraint():
        outcomes = race(vehicle, drivers)
        assert outcomes.count("won") > 1, outcomes
        assert overlapping_pairs(vehicle), "the control run should have produced overlaps"


def test_on_postgresql_the_exclusion_constraint_alone_keeps_one_booking(race_world, monkeypatch):
    require_postgresql("the exclusion constraint")
    vehicle, drivers = race_world
    # No row lock and no check: only the database constraint stands between the requests.
    monkeypatch.setattr(guard, "lock_vehicle", lambda vehicle: None)
    monkeypatch.setattr(
        booking_services, "ensure_no_overlap", lambda **kwargs: time.sleep(WINDOW_SECONDS)
    )
    assert_one_winner(race(vehicle, drivers), vehicle)


def test_on_postgresql_an_overlapping_row_is_refused_whoever_writes(race_world):
    require_postgresql("the exclusion constraint")
    from django.db import IntegrityError

    vehicle, drivers = race_world
    start = timezone.now() + dt.timedelta(days=1)
    fields = {"vehicle": vehicle, "end": start + dt.timedelta(hours=2)}
    Booking.objects.create(driver=drivers[0], start=start, blocks_until=fields["end"], **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            driver=drivers[1],
            start=start + dt.timedelta(hours=1),
            blocks_until=fields["end"] + dt.timedelta(hours=1),
            vehicle=vehicle,
            end=fields["end"] + dt.timedelta(hours=1),
        )
    # A cancelled booking does not hold the car.
    Booking.objects.create(
        driver=drivers[1],
        start=start,
        blocks_until=fields["end"],
        status=Booking.Status.CANCELLED,
        **fields,
    )
