"""Which cars are free from … to …: three queries whatever the number of bookings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Min

from bookings.models import Booking
from bookings.selectors.owner_time import blocked_periods
from members.models import Association, Membership
from vehicles.models import Vehicle


@dataclass(frozen=True)
class VehicleFilters:
    seats: int | None = None
    electric: bool = False
    gearbox: str = ""


def free_vehicles(
    association: Association,
    start: dt.datetime,
    end: dt.datetime,
    filters: VehicleFilters | None = None,
    driver: Membership | None = None,
) -> list[Vehicle]:
    """Active vehicles matching `filters` with no blocking booking meeting [start, end +
    buffer) and not kept by their owners then (except by `driver`, for their own car)."""
    filters = filters or VehicleFilters()
    vehicles = Vehicle.objects.filter(association=association, is_active=True)
    if filters.seats:
        vehicles = vehicles.filter(seats__gte=filters.seats)
    if filters.electric:
        vehicles = vehicles.filter(energy=Vehicle.Energy.ELECTRIC)
    if filters.gearbox:
        vehicles = vehicles.filter(gearbox=filters.gearbox)
    candidates = list(vehicles.order_by("name"))
    if not candidates:
        return []
    max_buffer = max(v.buffer_minutes for v in candidates)
    # One aggregate row per busy vehicle: the earliest blocking booking in the widest window
    # is enough to tell, once each vehicle's own buffer is applied below.
    busy = dict(
        Booking.objects.filter(
            vehicle__in=candidates,
            status__in=Booking.BLOCKING_STATUSES,
            start__lt=end + dt.timedelta(minutes=max_buffer),
            blocks_until__gt=start,
        )
        .values("vehicle_id")
        .annotate(first_start=Min("start"))
        .values_list("vehicle_id", "first_start")
    )
    free = [
        v
        for v in candidates
        if v.pk not in busy or busy[v.pk] >= end + dt.timedelta(minutes=v.buffer_minutes)
    ]
    return _not_kept_by_owners(free, start, end, driver)


def _not_kept_by_owners(
    vehicles: list[Vehicle], start: dt.datetime, end: dt.datetime, driver: Membership | None
) -> list[Vehicle]:
    """Leave out the cars whose owners keep them over [start, end + buffer), except for the
    driver's own periods (one query)."""
    if not vehicles:
        return []
    widest = end + dt.timedelta(minutes=max(v.buffer_minutes for v in vehicles))
    periods = blocked_periods(vehicles, start, widest, vehicles[0].association.tz)

    def kept(vehicle: Vehicle) -> bool:
        until = end + dt.timedelta(minutes=vehicle.buffer_minutes)
        return any(
            p.meets(start, until) and (driver is None or p.rule.created_by_id != driver.pk)
            for p in periods.get(vehicle.pk, [])
        )

    return [v for v in vehicles if not kept(v)]
