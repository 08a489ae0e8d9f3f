""" "Export my data": the person's bookings and trips (members.exports)."""

from __future__ import annotations

from collections.abc import Iterable

from bookings.models import Booking, Trip
from members.exports import ExportFile, csv_file
from members.models import User

COLUMNS = (
    "association",
    "vehicle",
    "start",
    "end",
    "status",
    "odometer_out",
    "odometer_in",
    "fuel_level_out",
    "fuel_level_in",
    "damage",
)


def personal_files(user: User) -> Iterable[ExportFile]:
    """Every booking the person made as a driver, with its trip when there was one."""
    bookings = (
        Booking.objects.filter(driver__user=user)
        .select_related("vehicle__association", "trip")
        .order_by("start", "pk")
    )
    yield csv_file("my_bookings.csv", COLUMNS, (_row(booking) for booking in bookings))


def _row(booking: Booking) -> list[object]:
    vehicle = booking.vehicle
    first = [vehicle.association.slug, f"{vehicle.name} ({vehicle.plate})", booking.start]
    return [*first, booking.end, booking.status, *_trip_cells(getattr(booking, "trip", None))]


def _trip_cells(trip: Trip | None) -> list[object]:
    if trip is None:
        return [None] * 5
    levels = [trip.fuel_level_out, trip.fuel_level_in]
    return [trip.odometer_out, trip.odometer_in, *levels, trip.damage]
