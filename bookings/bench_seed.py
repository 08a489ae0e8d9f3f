"""Bench data for bookings: about 10 bookings per vehicle and month over the history and a
few weeks ahead, with their trips and the ledger postings of the completed ones.

Each vehicle's bookings are generated one after the other (the next one starts after the
previous one's `blocks_until`), so no two bookings of a vehicle overlap, whatever their
status: PostgreSQL's exclusion constraint accepts them. In the past: mostly completed
(with a trip whose odometer out is the previous trip's odometer in, now and then with a
recorded gap), some cancelled or refused; one running now is in progress; ahead:
confirmed, requested where the owner approves, a few cancelled. Drivers are the vehicle's
owners and its co-drivers with an agreement (contracts' bench part), while members.

Vehicles are processed in chunks; each chunk's bookings, trips, ledger transactions and
legs are written in one database transaction (the legs of a posting never span two).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from bookings.eligibility import check_eligibility
from bookings.models import Booking, Trip
from contracts.models import Agreement
from core.bench_seeding import BenchContext, Progress
from ledger.bench_seed import TripFacts, TripPoster
from members.models import Association, Membership
from vehicles.models import Vehicle, VehicleOwnership

BOOKINGS_PER_MONTH = 10  # per vehicle: the defaults give ~480k bookings
DAYS_AHEAD = 42
# Where the booking scenario's slots begin (bench/scenarios.py): after every seeded booking.
SLOTS_FROM_DAYS = 400
GAP_DAYS = [0, 1, 1, 2, 2, 3, 3, 4, 4, 6]
ODOMETER_GAP_EXPLANATIONS = [
    "Trajet du propriétaire non noté dans le carnet.",
    "Passage au garage pour la vidange.",
    "Oubli de remplir le carnet, trajet à la déchetterie.",
]
NOTES = ["", "", "", "Courses à Clermont", "Rendez-vous médical", "Gare", "Déménagement"]


@dataclass
class Plan:
    """One generated booking with what happens to it (its trip, its charge)."""

    booking: Booking
    trip: Trip | None = None
    posted_at: dt.datetime | None = None


def seed(ctx: BenchContext) -> None:
    drivers = Drivers(ctx)
    poster = TripPoster(ctx)
    vehicles = ctx.of(Vehicle)
    tz = {a.pk: a.tz for a in ctx.of(Association)}
    per_chunk = max(1, ctx.batch_size // max(1, BOOKINGS_PER_MONTH * ctx.scale.months))
    total = len(vehicles) * (ctx.scale.months + 1) * BOOKINGS_PER_MONTH
    now = timezone.now()
    with Progress("bookings.Booking", total, ctx.out) as bar:
        for first in range(0, len(vehicles), per_chunk):
            plans = [
                plan
                for vehicle in vehicles[first : first + per_chunk]
                for plan in _vehicle_plans(ctx, vehicle, drivers, tz[vehicle.association_id], now)
            ]
            _insert(ctx, poster, plans)
            bar.advance(len(plans))
    _add_accounts(ctx, now)


class Drivers:
    """Who may drive each vehicle on a day: its owners and its co-drivers, while members."""

    def __init__(self, ctx: BenchContext) -> None:
        memberships = {m.pk: m for m in ctx.of(Membership)}
        self.owners: dict[int, list[Membership]] = defaultdict(list)
        for share in ctx.of(VehicleOwnership):
            self.owners[share.vehicle_id].append(memberships[share.owner_id])
        self.co_drivers: dict[int, list[Membership]] = defaultdict(list)
        for agreement in ctx.of(Agreement):
            self.co_drivers[agreement.vehicle_id].append(memberships[agreement.driver_id])

    def is_owner(self, driver: Membership, vehicle: Vehicle) -> bool:
        return any(owner.pk == driver.pk for owner in self.owners[vehicle.pk])

    def on(self, ctx: BenchContext, vehicle: Vehicle, day: dt.date) -> Membership | None:
        owners = [m for m in self.owners[vehicle.pk] if _member_on(m, day)]
        others = [m for m in self.co_drivers[vehicle.pk] if _member_on(m, day)]
        if owners and (not others or ctx.rng.random() < 0.25):
            return ctx.rng.choice(owners)
        return ctx.rng.choice(others) if others else None


def _member_on(membership: Membership, day: dt.date) -> bool:
    joined = membership.joined_on
    left = membership.left_on
    return joined is not None and joined <= day and (left is None or day <= left)


def _duration(ctx: BenchContext) -> dt.timedelta:
    """Mostly a few hours, sometimes a day out, now and then a weekend or more."""
    draw = ctx.rng.random()
    if draw < 0.6:
        return dt.timedelta(minutes=15 * ctx.rng.randint(4, 20))
    if draw < 0.9:
        return dt.timedelta(minutes=15 * ctx.rng.randint(24, 48))
    return dt.timedelta(hours=ctx.rng.randint(24, 72))


def _km(ctx: BenchContext, duration: dt.timedelta) -> int:
    hours = duration.total_seconds() / 3600
    if hours <= 5:
        return ctx.rng.randint(4, 70)
    if hours <= 12:
        return ctx.rng.randint(30, 260)
    return ctx.rng.randint(80, 900)


def _vehicle_plans(
    ctx: BenchContext, vehicle: Vehicle, drivers: Drivers, tz: dt.tzinfo, now: dt.datetime
) -> Iterator[Plan]:
    """The vehicle's bookings in time order, each after the previous one's blocks_until."""
    horizon = ctx.today + dt.timedelta(days=DAYS_AHEAD)
    day = ctx.start + dt.timedelta(days=ctx.rng.randrange(3))
    free_from = dt.datetime.combine(ctx.start, dt.time(0), tzinfo=tz)
    odometer = ctx.rng.randrange(15_000, 160_000)
    while day <= horizon:
        # In UTC from here on: durations are real ones, even across a daylight-saving change.
        start = ctx.random_datetime(day, tz).astimezone(dt.UTC)  # type: ignore[arg-type]
        if start < free_from:
            day += dt.timedelta(days=1)
            continue
        driver = drivers.on(ctx, vehicle, day)
        if driver is None:
            day += dt.timedelta(days=1)
            continue
        end = start + _duration(ctx)
        owner = drivers.is_owner(driver, vehicle)
        plan = _plan(ctx, vehicle, driver, start, end, now, odometer, owner=owner)
        if plan.trip is not None and plan.trip.odometer_in is not None:
            odometer = plan.trip.odometer_in
        yield plan
        free_from = plan.booking.blocks_until
        day = free_from.astimezone(tz).date() + dt.timedelta(days=ctx.rng.choice(GAP_DAYS))


def _status(ctx: BenchContext, booking: Booking, now: dt.datetime, *, approval: bool) -> str:
    draw, start, end = ctx.rng.random(), booking.start, booking.end
    if end <= now:
        if draw < 0.08:
            return Booking.Status.CANCELLED
        if approval and draw < 0.12:
            return Booking.Status.REFUSED
        return Booking.Status.COMPLETED
    if start <= now:
        return Booking.Status.IN_PROGRESS
    if draw < 0.05:
        return Booking.Status.CANCELLED
    return Booking.Status.REQUESTED if approval and draw < 0.5 else Booking.Status.CONFIRMED


def _plan(
    ctx: BenchContext,
    vehicle: Vehicle,
    driver: Membership,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    odometer: int,
    *,
    owner: bool,
) -> Plan:
    booking = Booking(
        vehicle=vehicle,
        driver=driver,
        start=start,
        end=end,
        blocks_until=end + dt.timedelta(minutes=vehicle.buffer_minutes),
        note=ctx.rng.choice(NOTES),
        estimated_km=ctx.rng.choice([None, 20, 50, 120]),
        created_by_id=driver.user_id,
    )
    approval = vehicle.approval_required and not owner
    booking.status = status = _status(ctx, booking, now, approval=approval)
    if status == Booking.Status.REFUSED:
        booking.refusal_reason = "La voiture est prise ce jour-là pour l'entretien."
        booking.decided_at = start - dt.timedelta(days=1)
    elif status == Booking.Status.CANCELLED:
        booking.cancelled_by_id = driver.user_id
        booking.cancelled_at = start - dt.timedelta(hours=ctx.rng.randint(1, 72))
        booking.cancellation_reason = "Plus besoin de la voiture."
    if status not in (Booking.Status.COMPLETED, Booking.Status.IN_PROGRESS):
        return Plan(booking)
    trip = _trip(ctx, booking, odometer, now, done=status == Booking.Status.COMPLETED)
    return Plan(booking, trip, trip.checked_in_at)


def _trip(
    ctx: BenchContext, booking: Booking, odometer: int, now: dt.datetime, *, done: bool
) -> Trip:
    """The logbook line: out at the previous odometer in (now and then after a gap)."""
    gap = ctx.rng.randint(5, 60) if ctx.rng.random() < 0.04 else 0
    out_at = min(now, booking.start + dt.timedelta(minutes=ctx.rng.randint(-10, 15)))
    trip = Trip(
        booking=booking,
        odometer_out=odometer + gap,
        fuel_level_out=ctx.rng.randrange(25, 101, 5),
        checked_out_at=out_at,
        checked_out_by_id=booking.driver.user_id,
        previous_odometer_in=odometer,
        odometer_gap_km=gap or None,
        gap_explanation=ctx.rng.choice(ODOMETER_GAP_EXPLANATIONS) if gap else "",
        from_paper_logbook=ctx.rng.random() < 0.1,
    )
    if done:
        trip.odometer_in = trip.odometer_out + _km(ctx, booking.end - booking.start)
        trip.fuel_level_in = ctx.rng.randrange(25, 101, 5)
        back = booking.end + dt.timedelta(minutes=ctx.rng.randint(-30, 20))
        trip.checked_in_at = min(now, max(out_at + dt.timedelta(minutes=30), back))
        trip.checked_in_by_id = booking.driver.user_id
        trip.parked_at = booking.vehicle.parking_place
    return trip


def _insert(ctx: BenchContext, poster: TripPoster, plans: list[Plan]) -> None:
    """One chunk in one transaction: bookings, then trips, then the postings of the trips."""
    with transaction.atomic():
        Booking.objects.bulk_create([p.booking for p in plans], batch_size=ctx.batch_size)
        # Trip(booking=…) was built before the booking had its key: link it again (setting
        # the relation, not booking_id, keeps the cached booking, its driver and vehicle).
        done = [p for p in plans if p.trip is not None and p.trip.checked_in_at is not None]
        for plan in done:
            plan.trip.ledger_reference = f"booking:{plan.booking.pk}"  # type: ignore[union-attr]
        trips = [p.trip for p in plans if p.trip is not None]
        for plan in plans:
            if plan.trip is not None:
                plan.trip.booking = plan.booking
        Trip.objects.bulk_create(trips, batch_size=ctx.batch_size)
        poster.insert([_facts(p.booking, p.trip) for p in done])  # type: ignore[arg-type]
    ctx.counts["bookings.Booking"] += len(plans)
    ctx.counts["bookings.Trip"] += len(trips)


def _facts(booking: Booking, trip: Trip) -> TripFacts:
    """The trip's charge as bookings.services.charges.post_trip hands it to the ledger."""
    ended = trip.checked_in_at or booking.end
    return TripFacts(
        driver=booking.driver,
        vehicle=booking.vehicle,
        km=trip.km or 0,
        started_at=min(booking.start, trip.checked_out_at),
        ended_at=max(booking.end, ended),
        reference=f"booking:{booking.pk}",
        posted_at=ended,
    )


def _add_accounts(ctx: BenchContext, now: dt.datetime) -> None:
    """Keys for bench/scenarios.py: a booking to look at, the vehicles the member account may
    book (the real eligibility rules, at the scenario's slots) and where the slots begin."""
    slots_from = dt.datetime.combine(
        ctx.today + dt.timedelta(days=SLOTS_FROM_DAYS), dt.time(0), tzinfo=dt.UTC
    )
    vehicles: dict[int, list[Vehicle]] = defaultdict(list)
    for vehicle in ctx.of(Vehicle):
        vehicles[vehicle.association_id].append(vehicle)
    memberships = {m.pk: m for m in ctx.of(Membership)}
    for account in ctx.accounts:
        association_id = account["association_id"]
        booking = (
            Booking.objects.filter(vehicle__association_id=association_id, end__lt=now)
            .order_by("-end")
            .first()
        )
        if booking is not None:
            account["booking_id"] = booking.pk
        account["availability_start"] = (now + dt.timedelta(days=2)).strftime("%Y-%m-%dT10:00:00Z")
        account["availability_end"] = (now + dt.timedelta(days=2)).strftime("%Y-%m-%dT14:00:00Z")
        if account["role"] != Membership.Role.MEMBER:
            continue
        driver = memberships[account["membership_id"]]
        bookable = [v.pk for v in vehicles[association_id] if _may_book(driver, v, slots_from)]
        if bookable:
            account["bookable_vehicle_ids"] = bookable
            account["slots_from"] = slots_from.isoformat().replace("+00:00", "Z")


def _may_book(driver: Membership, vehicle: Vehicle, start: dt.datetime) -> bool:
    """Whether the eligibility rules accept the driver on the vehicle without any warning."""
    eligibility = check_eligibility(
        driver=driver, vehicle=vehicle, start=start, end=start + dt.timedelta(hours=1)
    )
    return eligibility.allowed and not eligibility.warnings
