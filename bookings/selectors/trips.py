"""Reads of trips: the odometer chain."""

from __future__ import annotations

import datetime as dt

from bookings.models import Trip
from vehicles.models import Vehicle


def previous_odometer_in(vehicle: Vehicle, *, before: dt.datetime) -> int | None:
    """The odometer in of the vehicle's last finished trip booked before `before`."""
    return (
        Trip.objects.filter(
            booking__vehicle=vehicle, booking__start__lt=before, odometer_in__isnull=False
        )
        .order_by("-booking__start")
        .values_list("odometer_in", flat=True)
        .first()
    )


def last_reading_before(vehicle: Vehicle, before: dt.datetime) -> tuple[int, int] | None:
    """(odometer in, fuel level in) of the vehicle's last finished trip booked before
    `before`: where a page of the paper logbook starts."""
    row = (
        Trip.objects.filter(
            booking__vehicle=vehicle, booking__start__lt=before, odometer_in__isnull=False
        )
        .order_by("-booking__start")
        .values_list("odometer_in", "fuel_level_in")
        .first()
    )
    if row is None or row[0] is None:
        return None
    return row[0], row[1] or 0


def last_odometer_in(vehicle: Vehicle) -> int | None:
    """The last known odometer reading of the vehicle, to prefill the check-out form."""
    return (
        Trip.objects.filter(booking__vehicle=vehicle, odometer_in__isnull=False)
        .order_by("-booking__start")
        .values_list("odometer_in", flat=True)
        .first()
    )


def last_parked_at(vehicle: Vehicle) -> str:
    """Where the last driver said they left the car at check-in ("" if nobody said)."""
    place = (
        Trip.objects.filter(booking__vehicle=vehicle, checked_in_at__isnull=False)
        .exclude(parked_at="")
        .order_by("-checked_in_at")
        .values_list("parked_at", flat=True)
        .first()
    )
    return place or ""
