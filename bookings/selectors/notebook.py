"""The car's notebook (carnet du véhicule) and the owner's month: what happened to a car —
trips (driver, km, fuel), incidents with their photos, maintenance — and its condition at a
glance. A fixed number of queries whatever the number of trips, incidents or photos."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, Prefetch, Q, Sum

from bookings.models import Booking, FuelReceipt, Incident, IncidentPhoto, Trip, TripPhoto
from core.money import ZERO, round_money
from core.timeutils import month_bounds
from ledger.models import Account, LedgerTransaction, Leg
from members.models import Membership
from vehicles.models import MaintenanceEvent, Vehicle

# The notebook shows the latest entries of each kind; older ones are in the ledger and the
# logbook pages.
LATEST = 60
LATEST_PHOTOS = 12


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: a trip, an incident or a maintenance event."""

    kind: str
    when: dt.datetime | dt.date
    sort_key: dt.datetime
    item: Any


@dataclass(frozen=True)
class Condition:
    """The car at a glance, from its last return and its open incidents."""

    odometer: int | None
    fuel_level: int | None
    last_return: dt.datetime | None
    last_driver: str
    open_incidents: int
    last_service: MaintenanceEvent | None


@dataclass(frozen=True)
class Photo:
    """A photo of the car: of an incident (`parent` is the incident's id) or of a trip
    (`parent` is the booking's id), for the view that serves it."""

    kind: str
    parent: int
    photo: IncidentPhoto | TripPhoto
    taken: dt.datetime
    caption: str


@dataclass(frozen=True)
class Notebook:
    vehicle: Vehicle
    condition: Condition
    timeline: list[Entry]
    photos: list[Photo]


def notebook(vehicle: Vehicle) -> Notebook:
    """The car's notebook, in six queries."""
    tz = vehicle.association.tz
    trips = _latest_trips(vehicle)
    incidents = _latest_incidents(vehicle)
    maintenance = list(vehicle.maintenance.order_by("-date", "-pk")[:LATEST])
    open_count = Incident.objects.filter(vehicle=vehicle, status__in=Incident.OPEN_STATUSES).count()
    timeline = [_trip_entry(t) for t in trips]
    timeline += [Entry("incident", i.occurred_at, i.occurred_at, i) for i in incidents]
    timeline += [_maintenance_entry(m, tz) for m in maintenance]
    timeline.sort(key=lambda entry: entry.sort_key, reverse=True)
    return Notebook(
        vehicle=vehicle,
        condition=_condition(trips, open_count, maintenance),
        timeline=timeline,
        photos=_latest_photos(trips, incidents),
    )


def _latest_trips(vehicle: Vehicle) -> list[Trip]:
    return list(
        Trip.objects.filter(booking__vehicle=vehicle)
        .select_related("booking__driver__user")
        .prefetch_related(Prefetch("photos", queryset=TripPhoto.objects.order_by("-id")))
        .order_by("-checked_out_at", "-pk")[:LATEST]
    )


def _latest_incidents(vehicle: Vehicle) -> list[Incident]:
    return list(
        Incident.objects.filter(vehicle=vehicle)
        .select_related("reported_by__user", "responsible__user")
        .prefetch_related(
            Prefetch("photos", queryset=IncidentPhoto.objects.order_by("-uploaded_at", "-id"))
        )
        .order_by("-occurred_at", "-pk")[:LATEST]
    )


def _trip_entry(trip: Trip) -> Entry:
    return Entry("trip", trip.checked_out_at, trip.checked_out_at, trip)


def _maintenance_entry(event: MaintenanceEvent, tz: Any) -> Entry:
    noon = dt.datetime.combine(event.date, dt.time(12), tzinfo=tz)
    return Entry("maintenance", event.date, noon, event)


def _condition(
    trips: list[Trip], open_count: int, maintenance: list[MaintenanceEvent]
) -> Condition:
    returned = next((trip for trip in trips if trip.is_checked_in), None)
    return Condition(
        odometer=returned.odometer_in if returned else None,
        fuel_level=returned.fuel_level_in if returned else None,
        last_return=returned.checked_in_at if returned else None,
        last_driver=returned.booking.driver.user.display_name if returned else "",
        open_incidents=open_count,
        last_service=maintenance[0] if maintenance else None,
    )


def _latest_photos(trips: list[Trip], incidents: list[Incident]) -> list[Photo]:
    photos = [
        Photo("incident", i.pk, p, p.uploaded_at, str(i.get_kind_display()))
        for i in incidents
        for p in i.photos.all()
    ]
    photos += [
        Photo("trip", t.booking_id, p, p.uploaded_at, str(p.get_stage_display()))
        for t in trips
        for p in t.photos.all()
    ]
    photos.sort(key=lambda photo: photo.taken, reverse=True)
    return photos[:LATEST_PHOTOS]


# The owner's month: one car's trips, km, fuel, money and incidents over a local month.


@dataclass
class CarMonth:
    """One car over one month, for its owners."""

    vehicle: Vehicle
    trips: list[Trip] = field(default_factory=list)
    km: int = 0
    fuel_receipts: Decimal = ZERO
    received: Decimal = ZERO
    incidents: list[Incident] = field(default_factory=list)
    upcoming: list[Booking] = field(default_factory=list)

    @property
    def trip_count(self) -> int:
        return len(self.trips)


def month_of_cars(
    vehicles: list[Vehicle], owner: Membership | None, year: int, month: int, now: dt.datetime
) -> list[CarMonth]:
    """For each car: its trips that ended in the month, their km, the fuel receipts, what
    `owner` (a member owner; None for the car's whole owner side) was credited by its
    ledger entries of the month, its incidents, and the bookings still to come. Five
    queries whatever the number of cars and trips."""
    if not vehicles:
        return []
    tz = vehicles[0].association.tz
    start, end = month_bounds(year, month, tz)
    months = {v.pk: CarMonth(v) for v in vehicles}
    for trip in _trips_ended(months, start, end):
        car = months[trip.booking.vehicle_id]
        car.trips.append(trip)
        car.km += trip.km or 0
    for vehicle_id, total in _fuel(months, start, end):
        months[vehicle_id].fuel_receipts = round_money(total or 0)
    for vehicle_id, total in _credited(months, owner, start.astimezone(tz).date(), end):
        months[vehicle_id].received = round_money(total or 0)
    for incident in Incident.objects.filter(
        vehicle_id__in=months, occurred_at__gte=start, occurred_at__lt=end
    ).order_by("occurred_at"):
        months[incident.vehicle_id].incidents.append(incident)
    for booking in _upcoming(months, now):
        months[booking.vehicle_id].upcoming.append(booking)
    return list(months.values())


def _trips_ended(months: dict[int, CarMonth], start: dt.datetime, end: dt.datetime) -> Any:
    return (
        Trip.objects.filter(
            booking__vehicle_id__in=months, checked_in_at__gte=start, checked_in_at__lt=end
        )
        .select_related("booking__driver__user")
        .order_by("checked_in_at")
    )


def _fuel(months: dict[int, CarMonth], start: dt.datetime, end: dt.datetime) -> Any:
    return (
        FuelReceipt.objects.filter(
            trip__booking__vehicle_id__in=months,
            trip__checked_in_at__gte=start,
            trip__checked_in_at__lt=end,
        )
        .exclude(status=FuelReceipt.Status.REFUSED)
        .values("trip__booking__vehicle_id")
        .annotate(total=Sum("amount"))
        .values_list("trip__booking__vehicle_id", "total")
    )


def _car_legs(vehicle_ids: Iterable[int], first_day: dt.date, end: dt.datetime) -> Any:
    """Legs of the cars' ledger entries dated in the month that an owner side receives or
    pays: trip and incident charges, fuel refunds."""
    last_day = (end - dt.timedelta(seconds=1)).date()
    return Leg.objects.filter(
        transaction__vehicle_id__in=list(vehicle_ids),
        transaction__date__gte=first_day,
        transaction__date__lte=last_day,
        transaction__kind__in=[
            LedgerTransaction.Kind.TRIP,
            LedgerTransaction.Kind.FUEL,
            LedgerTransaction.Kind.DAMAGE,
            LedgerTransaction.Kind.DEDUCTIBLE,
        ],
    )


def _credited(
    months: dict[int, CarMonth], owner: Membership | None, first_day: dt.date, end: dt.datetime
) -> Any:
    """Net legs of the owner's account (None: of each car's owner side) on the month's
    entries of the cars."""
    side = Q(account__membership=owner) if owner is not None else _owner_sides(months)
    return (
        _car_legs(months, first_day, end)
        .filter(side)
        .values("transaction__vehicle_id")
        .annotate(total=Sum("amount"))
        .values_list("transaction__vehicle_id", "total")
    )


def received_by_owner(
    vehicles: list[Vehicle], year: int, month: int
) -> dict[tuple[int, int], Decimal]:
    """What each member owner received per car over the month, net of fuel refunds:
    {(vehicle id, membership id): amount} (one query)."""
    if not vehicles:
        return {}
    start, end = month_bounds(year, month, vehicles[0].association.tz)
    rows = (
        _car_legs(
            [v.pk for v in vehicles], start.astimezone(vehicles[0].association.tz).date(), end
        )
        .filter(account__membership__vehicle_ownerships__vehicle_id=F("transaction__vehicle_id"))
        .values("transaction__vehicle_id", "account__membership_id")
        .annotate(total=Sum("amount"))
        .values_list("transaction__vehicle_id", "account__membership_id", "total")
    )
    return {(vehicle, member): round_money(total or 0) for vehicle, member, total in rows}


def _owner_sides(months: dict[int, CarMonth]) -> Q:
    """Each car's owner-side accounts: its member owners, or the fund, or the commune."""
    kinds: dict[str, str] = {
        Vehicle.OwnerKind.ASSOCIATION: Account.Kind.FUND,
        Vehicle.OwnerKind.COMMUNE: Account.Kind.COMMUNE,
    }
    side = Q(pk__in=[])
    for vehicle_id, car in months.items():
        kind = kinds.get(car.vehicle.owner_kind)
        account = (
            Q(account__kind=kind)
            if kind is not None
            else Q(account__membership__vehicle_ownerships__vehicle_id=vehicle_id)
        )
        side |= Q(transaction__vehicle_id=vehicle_id) & account
    return side


def _upcoming(months: dict[int, CarMonth], now: dt.datetime) -> Any:
    return (
        Booking.objects.filter(
            vehicle_id__in=months, status__in=Booking.BLOCKING_STATUSES, start__gte=now
        )
        .select_related("driver__user")
        .order_by("start")[:50]
    )


def owned_vehicles(owner: Membership) -> list[Vehicle]:
    """The cars a member owns or co-owns, by name."""
    return list(
        Vehicle.objects.filter(ownerships__owner=owner)
        .select_related("association")
        .order_by("name")
    )
