"""Which cars are free from … to …: two queries whatever the number of bookings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Min

from bookings.models import Booking
from members.models import Association
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
) -> list[Vehicle]:
    """Active vehicles matching `filters` with no blocking booking meeting [start, end + buffer)."""
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
    return [
        v
        for v in candidates
        if v.pk not in busy or busy[v.pk] >= end + dt.timedelta(minutes=v.buffer_minutes)
    ]
