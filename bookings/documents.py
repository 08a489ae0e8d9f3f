"""Plain-data contexts of the documents printed for a booking (contracts renders them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bookings.models import Booking
from contracts.context import holders_context, lender_context, person_context, vehicle_context
from contracts.models import DocumentKind
from contracts.rendering import RenderedDocument, document_language, render_document
from contracts.selectors import agreement_at


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


@dataclass(frozen=True)
class FineNotice:
    """The fine's notice, as the letter quotes it."""

    moment: dt.datetime  # of the offence
    notice_number: str
    place: str
    offence: str


def render_designation(booking: Booking, notice: FineNotice) -> RenderedDocument:
    """The driver-designation letter of `booking` for `notice`, in the association's
    language; DocumentIncomplete (naming the empty fields) when a required one is empty."""
    association = booking.vehicle.association
    with document_language(association):
        return render_document(
            association=association,
            kind=DocumentKind.DRIVER_DESIGNATION,
            context=designation_context(booking, notice),
        )


def designation_context(booking: Booking, notice: FineNotice) -> dict[str, Any]:
    """Lettre de désignation: the registration holder(s) name the driver of the booking for
    a fine, each with their own address. It says that the driver accepted to be designated
    only if an agreement held on the trip's day."""
    vehicle = booking.vehicle
    association = vehicle.association
    holders = holders_context(vehicle)
    return {
        "vehicle": vehicle_context(vehicle),
        "holder": holders[0] if holders else {"full_name": "", "address": "", "kind": ""},
        "holders": holders,
        "driver": person_context(booking.driver, designation=True),
        "agreement": _agreement_of_trip(booking),
        "fine": {
            "notice_number": notice.notice_number,
            "offence_at": notice.moment.astimezone(association.tz),
            "place": notice.place,
            "offence": notice.offence,
        },
    }


def _agreement_of_trip(booking: Booking) -> dict[str, Any] | None:
    """The agreement that held on the trip's first day (signed before, not ended), if any."""
    day = booking.start.astimezone(booking.vehicle.association.tz).date()
    agreement = agreement_at(membership=booking.driver, vehicle=booking.vehicle, day=day)
    return {"signed_on": agreement.signed_on} if agreement is not None else None
