"""The trip's charges, posted in the ledger inside the check-in transaction, so that a trip
and its charge commit together or not at all (DESIGN.md, dependency direction)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bookings.models import FuelReceipt, Trip
from bookings.services.receipts import post_receipt
from ledger.pricing import estimate_trip_cost
from ledger.services import post_trip_charge
from members.models import Membership
from vehicles.models import Vehicle
from vehicles.selectors import is_owner, tariff_on

# No service: post_trip runs inside the check-in's (or the logbook's) transaction, whose
# service checked the actor; held_time and estimated_cost are reads.
__all__: list[str] = []


def held_time(trip: Trip) -> tuple[dt.datetime, dt.datetime]:
    """From the booked start (or an earlier pick-up) to the booked end (or a later return)."""
    booking = trip.booking
    ended = trip.checked_in_at or booking.end
    return min(booking.start, trip.checked_out_at), max(booking.end, ended)


def post_trip(*, actor: Membership, trip: Trip) -> None:
    """Post the trip charge, then refund each approved fuel receipt (when the tariff includes
    fuel); a pending receipt is posted when it is approved (bookings.services.receipts)."""
    booking = trip.booking
    started_at, ended_at = held_time(trip)
    post_trip_charge(
        driver=booking.driver,
        vehicle=booking.vehicle,
        km=trip.km or 0,
        started_at=started_at,
        ended_at=ended_at,
        reference=f"booking:{booking.pk}",
        actor=actor,
    )
    trip.ledger_reference = f"booking:{booking.pk}"
    trip.save(update_fields=["ledger_reference"])
    for receipt in trip.fuel_receipts.filter(status=FuelReceipt.Status.APPROVED):
        post_receipt(actor=actor, receipt=receipt)


def estimated_cost(
    *,
    driver: Membership,
    vehicle: Vehicle,
    start: dt.datetime,
    end: dt.datetime,
    km: int | None,
) -> Decimal | None:
    """What the booking should cost at the tariff in force on its first day; owners pay 0."""
    if is_owner(driver, vehicle):
        return Decimal("0.00")
    tz = vehicle.association.tz
    tariff = tariff_on(vehicle, start.astimezone(tz).date())
    if tariff is None or end <= start:
        return None
    return estimate_trip_cost(tariff=tariff, km=km or 0, started_at=start, ended_at=end, tz=tz)
