"""The overlap rule, shared by the services, eligibility and availability."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from bookings.models import Booking
from vehicles.models import Vehicle


def blocks_until(vehicle: Vehicle, end: dt.datetime) -> dt.datetime:
    """The end of the time a booking holds the car: its end plus the vehicle's buffer."""
    return end + dt.timedelta(minutes=vehicle.buffer_minutes)


def overlapping_bookings(
    *,
    vehicle: Vehicle,
    start: dt.datetime,
    end: dt.datetime,
    exclude_pk: int | None = None,
) -> QuerySet[Booking]:
    """Blocking bookings of `vehicle` whose [start, blocks_until) meets [start, end + buffer)."""
    queryset = Booking.objects.filter(
        vehicle=vehicle,
        status__in=Booking.BLOCKING_STATUSES,
        start__lt=blocks_until(vehicle, end),
        blocks_until__gt=start,
    )
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset


def first_overlap(
    *, vehicle: Vehicle, start: dt.datetime, end: dt.datetime, exclude_pk: int | None = None
) -> Booking | None:
    return (
        overlapping_bookings(vehicle=vehicle, start=start, end=end, exclude_pk=exclude_pk)
        .order_by("start")
        .first()
    )
