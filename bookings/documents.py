"""Plain-data contexts of the documents printed for a booking (contracts renders them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bookings.models import Booking
from contracts.context import lender_context, person_context, vehicle_context
from contracts.selectors import agreement_at
from vehicles.selectors import ownership_shares


def booking_reference(booking: Booking) -> str:
    return f"R-{booking.start:%Y}-{booking.pk:05d}"


def handover_context(booking: Booking) -> dict[str, Any]:
    """État des lieux: the car, its lender, the driver and the booked times (local)."""
    vehicle, tz = booking.vehicle, booking.vehicle.association.tz
    return {
        "vehicle": vehicle_context(vehicle),
        "lender": lender_context(vehicle, vehicle.association),
        "driver": person_context(booking.driver),
        "booking": {
            "reference": booking_reference(booking),
            "starts_at": booking.start.astimezone(tz),
            "ends_at": booking.end.astimezone(tz),
        },
    }


def designation_context(
    booking: Booking, *, offence_at: dt.datetime, notice_number: str, place: str, offence: str
) -> dict[str, Any]:
    """Lettre de désignation: the holder names the driver of the booking for a fine. It says
    that the driver accepted to be designated only if an agreement held on the trip's day."""
    vehicle = booking.vehicle
    association = vehicle.association
    holder = vehicle.registration_holder
    if holder is None:  # the main owner, else the association, holds the registration
        shares = ownership_shares(vehicle)
        holder = shares[0].owner if shares else None
    holder_name = holder.user.display_name if holder is not None else association.name
    return {
        "vehicle": vehicle_context(vehicle),
        "holder": {"full_name": holder_name, "address": association.address},
        "driver": person_context(booking.driver, designation=True),
        "agreement": _agreement_of_trip(booking),
        "fine": {
            "notice_number": notice_number,
            "offence_at": offence_at.astimezone(association.tz),
            "place": place,
            "offence": offence,
        },
    }


def _agreement_of_trip(booking: Booking) -> dict[str, Any] | None:
    """The agreement that held on the trip's first day (signed before, not ended), if any."""
    day = booking.start.astimezone(booking.vehicle.association.tz).date()
    agreement = agreement_at(membership=booking.driver, vehicle=booking.vehicle, day=day)
    return {"signed_on": agreement.signed_on} if agreement is not None else None
