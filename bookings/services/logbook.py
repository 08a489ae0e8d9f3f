"""An admin types in a past trip from the paper logbook (carnet de bord)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking, Trip
from bookings.selectors.overlap import blocks_until
from bookings.services import charges
from bookings.services.guard import ensure_no_overlap, overlap_error, vehicle_write_lock
from bookings.services.trips import (
    Reading,
    ReceiptInput,
    audit_trip,
    check_chain,
    is_implausible,
    require_not_below,
    save_receipts,
    validate_reading,
    validate_receipts,
)
from bookings.slots import validate_range
from core.errors import DomainError, ForbiddenError
from members.models import Membership
from vehicles.models import Vehicle


@dataclass(frozen=True)
class LogbookLine:
    driver: Membership
    vehicle: Vehicle
    start: dt.datetime
    end: dt.datetime
    reading_out: Reading
    reading_in: Reading
    note: str = ""
    gap_explanation: str = ""
    receipts: Sequence[ReceiptInput] = ()


def enter_past_trip(*, actor: Membership, line: LogbookLine) -> Booking:
    """A completed booking with its trip, as written in the logbook; charged like any trip."""
    _check_line(actor, line)
    with vehicle_write_lock(line.vehicle):
        if _taken(line):
            raise overlap_error()
        ensure_no_overlap(vehicle=line.vehicle, start=line.start, end=line.end, driver=line.driver)
        booking = Booking.objects.create(
            vehicle=line.vehicle,
            driver=line.driver,
            start=line.start,
            end=line.end,
            blocks_until=blocks_until(line.vehicle, line.end),
            status=Booking.Status.COMPLETED,
            note=line.note.strip(),
            created_by=actor.user,
        )
        previous, gap = check_chain(booking, line.reading_out.odometer, line.gap_explanation)
        trip = Trip.objects.create(
            booking=booking,
            odometer_out=line.reading_out.odometer,
            fuel_level_out=line.reading_out.fuel_level,
            checked_out_at=line.start,
            checked_out_by=actor.user,
            previous_odometer_in=previous,
            odometer_gap_km=gap,
            gap_explanation=line.gap_explanation.strip() if gap else "",
            odometer_in=line.reading_in.odometer,
            fuel_level_in=line.reading_in.fuel_level,
            checked_in_at=line.end,
            checked_in_by=actor.user,
            from_paper_logbook=True,
            implausible_km=is_implausible(
                line.reading_in.odometer - line.reading_out.odometer, line.start, line.end
            ),
        )
        save_receipts(trip, line.receipts)
        charges.post_trip(trip, actor=actor.user)
        audit_trip("trip.enter_past", actor, booking, km=trip.km, driver=line.driver.pk)
    return booking


def _check_line(actor: Membership, line: LogbookLine) -> None:
    if not actor.is_admin:
        raise ForbiddenError(
            _("Only an administrator may enter trips from the logbook."), code="forbidden"
        )
    association_id = actor.association_id
    if line.driver.association_id != association_id or line.vehicle.association_id != (
        association_id
    ):
        raise ForbiddenError(_("This belongs to another association."), code="forbidden")
    validate_range(line.start, line.end)
    if line.end > timezone.now():
        raise DomainError(
            _("A trip from the logbook has already ended: give a past end."),
            code="end_in_future",
            field="end",
        )
    validate_reading(line.reading_out)
    validate_reading(line.reading_in)
    require_not_below(line.reading_out.odometer, line.reading_in.odometer)
    validate_receipts(line.receipts)


def _taken(line: LogbookLine) -> bool:
    """Another booking holding the car, or a trip driven, meets the line's time."""
    meets = Q(start__lt=blocks_until(line.vehicle, line.end), blocks_until__gt=line.start)
    holding = Q(status__in=[*Booking.BLOCKING_STATUSES, Booking.Status.COMPLETED])
    return Booking.objects.filter(meets & holding, vehicle=line.vehicle).exists()
