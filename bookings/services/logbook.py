"""An admin types in a past trip from the paper logbook (carnet de bord).

The paper path follows the booking's rules: the eligibility service checks the driver for
the trip's dates (licence, insurance, young drivers, the agreement that held on the trip's
first day, the vehicle's rules; not the notice). A refusal stops the line unless the admin
overrides it explicitly, with a reason; the override, its reasons and the admin's words go
to the audit trail and the booking's history. One line at a time: a page of lines
(`enter_logbook_page`) calls `enter_past_trip` per line, each with its own override, and
keeps all of them or none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.eligibility import Eligibility, check_eligibility, owner_time_reasons
from bookings.models import Booking, Trip
from bookings.selectors.overlap import blocks_until
from bookings.services import charges
from bookings.services.guard import ensure_no_overlap, overlap_error, vehicle_write_lock
from bookings.services.receipts import ReceiptInput, TripFacts, check_receipts, record_receipts
from bookings.services.trips import (
    Reading,
    audit_trip,
    check_chain,
    is_implausible,
    require_not_below,
    validate_reading,
    validate_receipts,
)
from bookings.slots import validate_range
from core.errors import DomainError
from core.stored_files import atomic_with_files
from members.models import Membership
from members.permissions import require_admin, require_same_association
from vehicles.models import Vehicle

# The services.
__all__ = ["enter_logbook_page", "enter_past_trip"]


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
    # The admin enters the trip although the rules refuse it, and says why.
    override: bool = False
    override_reason: str = ""


def enter_past_trip(*, actor: Membership, line: LogbookLine) -> Booking:
    """A completed booking with its trip, as written in the logbook; charged like any trip."""
    _check_line(actor, line)
    overridden = _check_rules(actor, line)
    with atomic_with_files(), vehicle_write_lock(line.vehicle):
        if _taken(line):
            raise overlap_error()
        if not line.override:  # the owners' own time, under the lock (overridable, audited)
            ensure_no_overlap(
                vehicle=line.vehicle, start=line.start, end=line.end, driver=line.driver
            )
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
        record_receipts(trip=trip, receipts=line.receipts, entered_by=actor)
        charges.post_trip(actor=actor, trip=trip)
        audit_trip("trip.enter_past", actor, booking, km=trip.km, driver=line.driver.pk)
        if overridden:
            audit_trip(
                "trip.eligibility_override",
                actor,
                booking,
                reasons=overridden,
                reason=line.override_reason.strip(),
            )
    return booking


# A paper logbook sheet holds about 25 lines: one page of the screen is one sheet.
MAX_LOGBOOK_LINES = 25
CHAIN_CODES = ("odometer_gap", "odometer_decreasing")


class LogbookPageRefused(DomainError):
    """Some lines of a logbook page are refused: nothing of the page was written.
    `refusals` maps each refused line's index (as given) to its domain error."""

    code = "logbook_page_refused"
    http_status = 400

    def __init__(self, refusals: dict[int, DomainError]) -> None:
        super().__init__(
            _("Some lines are refused: nothing was saved. Correct them or leave them out."),
            lines=sorted(refusals),
        )
        self.refusals = refusals


def enter_logbook_page(*, actor: Membership, lines: Sequence[LogbookLine]) -> list[Booking]:
    """Every line of a paper logbook page as a past trip, or none (LogbookPageRefused lists
    each refused line). Lines are entered in the order of their start, so that each
    odometer reading is checked against the line before it."""
    if not 0 < len(lines) <= MAX_LOGBOOK_LINES:
        raise DomainError(
            _("A logbook page holds from 1 to %(max)s lines.") % {"max": MAX_LOGBOOK_LINES},
            code="logbook_page_size",
        )
    order = sorted(range(len(lines)), key=lambda index: lines[index].start)
    refusals: dict[int, DomainError] = {}
    entered: dict[int, Booking] = {}
    with transaction.atomic():
        for index in order:
            try:
                with transaction.atomic():  # a refused line undoes its own writes only
                    entered[index] = enter_past_trip(actor=actor, line=lines[index])
            except DomainError as error:
                # After a refused line the chain misses its reading: a gap measured on the
                # lines below says nothing, and shows once that line is corrected.
                if not refusals or error.code not in CHAIN_CODES:
                    refusals[index] = error
        if refusals:
            transaction.set_rollback(True)
    if refusals:
        raise LogbookPageRefused(refusals)
    return [entered[index] for index in range(len(lines))]


def _check_rules(actor: Membership, line: LogbookLine) -> list[str]:
    """The codes the admin overrides (none when the rules allow the trip); without an
    override, the first refusal (a higher deductible nobody accepted on paper counts)."""
    eligibility = check_eligibility(
        driver=line.driver,
        vehicle=line.vehicle,
        start=line.start,
        end=line.end,
        booked_by=actor,
        check_notice=False,
        check_overlap=False,  # the logbook's own check covers trips driven too (_taken)
        agreement_on=timezone.localtime(line.start, line.vehicle.association.tz).date(),
    )
    owner_time = owner_time_reasons(
        vehicle=line.vehicle, driver=line.driver, start=line.start, end=line.end
    )
    eligibility = Eligibility((*eligibility.reasons, *owner_time))
    if eligibility.allowed and not eligibility.warnings:
        return []
    if not line.override:
        try:
            eligibility.require(deductible_accepted=False)
        except DomainError as error:
            raise type(error)(
                _(
                    "The rules refuse this trip for %(driver)s: %(reason)s To enter it all "
                    "the same, tick the override and say why."
                )
                % {"driver": line.driver.user.display_name, "reason": error.message},
                code=error.code,
                http_status=error.http_status,
                **error.extra,
            ) from None
    if not line.override_reason.strip():
        raise DomainError(
            _("Say why you enter this trip despite the rules: the reason is kept."),
            code="override_reason_required",
            field="override_reason",
        )
    return eligibility.codes


def _check_line(actor: Membership, line: LogbookLine) -> None:
    require_admin(actor)  # only an administrator enters trips from the logbook
    require_same_association(
        actor.association_id, line.driver.association_id, line.vehicle.association_id
    )
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
    km = line.reading_in.odometer - line.reading_out.odometer
    check_receipts(TripFacts(line.vehicle, km, line.start, line.end), line.receipts)


def _taken(line: LogbookLine) -> bool:
    """Another booking holding the car, or a trip driven, meets the line's time."""
    meets = Q(start__lt=blocks_until(line.vehicle, line.end), blocks_until__gt=line.start)
    holding = Q(status__in=[*Booking.BLOCKING_STATUSES, Booking.Status.COMPLETED])
    return Booking.objects.filter(meets & holding, vehicle=line.vehicle).exists()
