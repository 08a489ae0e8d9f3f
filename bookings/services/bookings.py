"""Booking life cycle: create (for oneself, or by an admin for a member), approve, refuse,
cancel (the waiting list hears of the freed time), and a late return (extend when the car is
free, otherwise warn the next driver)."""

from __future__ import annotations

import datetime as dt
import enum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.eligibility import check_eligibility
from bookings.models import Booking
from bookings.notifications import late_return_message
from bookings.selectors.overlap import blocks_until, first_overlap
from bookings.services.guard import ensure_no_overlap, vehicle_write_lock
from bookings.services.waiting import tell_waiting_members
from bookings.slots import validate_new_slot, validate_range
from core.errors import DomainError, ForbiddenError, require_status
from core.notices import queue_notifications
from members.audit import record_audit
from members.models import Membership
from members.permissions import FORBIDDEN, require_same_association
from vehicles.models import Vehicle
from vehicles.permissions import require_manager
from vehicles.selectors import is_owner

# The services; needs_approval and late_report_open are reads the pages share.
__all__ = [
    "approve_booking",
    "cancel_booking",
    "create_booking",
    "refuse_booking",
    "report_late_return",
]


def needs_approval(*, vehicle: Vehicle, driver: Membership, booked_by: Membership) -> bool:
    """The owner approves other drivers' bookings when the vehicle says so; admins need not."""
    if not vehicle.approval_required or booked_by.is_admin:
        return False
    return not is_owner(driver, vehicle)


def create_booking(
    *,
    actor: Membership,
    driver: Membership,
    vehicle: Vehicle,
    start: dt.datetime,
    end: dt.datetime,
    note: str = "",
    estimated_km: int | None = None,
    deductible_accepted: bool = False,
) -> Booking:
    """A member books `vehicle` for themselves (an admin: for `driver`): requested or
    confirmed; never overlapping another booking."""
    _check_booker(actor=actor, driver=driver, vehicle=vehicle)
    validate_new_slot(start, end)
    eligibility = check_eligibility(
        driver=driver, vehicle=vehicle, start=start, end=end, booked_by=actor
    )
    eligibility.require(deductible_accepted=deductible_accepted)
    status = (
        Booking.Status.REQUESTED
        if needs_approval(vehicle=vehicle, driver=driver, booked_by=actor)
        else Booking.Status.CONFIRMED
    )
    booking = Booking(
        vehicle=vehicle,
        driver=driver,
        start=start,
        end=end,
        blocks_until=blocks_until(vehicle, end),
        status=status,
        note=note,
        estimated_km=estimated_km,
        accepted_deductible=eligibility.higher_deductible,
        created_by=actor.user,
    )
    with vehicle_write_lock(vehicle):
        ensure_no_overlap(vehicle=vehicle, start=start, end=end, driver=driver)
        booking.save()
        record_audit(
            action="booking.create",
            actor=actor.user,
            association=vehicle.association,
            target=booking,
            data={"status": status, "driver": driver.pk, "vehicle": vehicle.pk},
        )
    return booking


def _check_booker(*, actor: Membership, driver: Membership, vehicle: Vehicle) -> None:
    # Whether the driver may drive is eligibility's answer (`membership_inactive`…), so
    # this checks the association only, not the booker's status.
    require_same_association(vehicle.association_id, driver.association_id, actor.association_id)
    if actor.pk != driver.pk and not actor.is_admin:
        raise ForbiddenError(
            _("Only an administrator may book for another member."), code=FORBIDDEN
        )


def _locked(booking: Booking) -> Booking:
    return Booking.objects.select_for_update().select_related("vehicle").get(pk=booking.pk)


def approve_booking(*, actor: Membership, booking: Booking) -> Booking:
    """The owner (or an admin) confirms a requested booking."""
    require_manager(actor, booking.vehicle)
    with transaction.atomic():
        booking = _locked(booking)
        require_status(booking, Booking.Status.REQUESTED)
        booking.status = Booking.Status.CONFIRMED
        _decide(booking, actor)
        booking.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        _audit("booking.approve", actor, booking)
    return booking


def refuse_booking(*, actor: Membership, booking: Booking, reason: str) -> Booking:
    """The owner (or an admin) refuses a requested booking, saying why."""
    require_manager(actor, booking.vehicle)
    if not reason.strip():
        raise DomainError(_("Say why you refuse: the driver will read it."), code="reason_required")
    with transaction.atomic():
        booking = _locked(booking)
        require_status(booking, Booking.Status.REQUESTED)
        booking.status = Booking.Status.REFUSED
        booking.refusal_reason = reason.strip()
        _decide(booking, actor)
        booking.save(
            update_fields=["status", "refusal_reason", "decided_by", "decided_at", "updated_at"]
        )
        _audit("booking.refuse", actor, booking, reason=booking.refusal_reason)
        _free(booking)
    return booking


def cancel_booking(*, actor: Membership, booking: Booking, reason: str = "") -> Booking:
    """The driver, an owner or an admin cancels a booking that has not started."""
    if actor.pk != booking.driver_id:
        require_manager(actor, booking.vehicle)
    with transaction.atomic():
        booking = _locked(booking)
        require_status(booking, Booking.Status.REQUESTED, Booking.Status.CONFIRMED)
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_by = actor.user
        booking.cancelled_at = timezone.now()
        booking.cancellation_reason = reason.strip()
        booking.save(
            update_fields=[
                "status",
                "cancelled_by",
                "cancelled_at",
                "cancellation_reason",
                "updated_at",
            ]
        )
        _audit("booking.cancel", actor, booking, reason=booking.cancellation_reason)
        _free(booking)
    return booking


def _free(booking: Booking) -> None:
    """The booking no longer holds the car: the members waiting for its time are told."""
    tell_waiting_members(vehicle=booking.vehicle, start=booking.start, end=booking.blocks_until)


class LateReturn(enum.Enum):
    EXTENDED = "extended"
    NEXT_DRIVER_WARNED = "next_driver_warned"


# A booked trip that was not checked out may be reported late in its last hour.
LATE_REPORT_OPENS = dt.timedelta(hours=1)


def late_report_open(booking: Booking, now: dt.datetime) -> bool:
    """A late return is reported while the trip is under way (checked out), or from the
    last hour of a confirmed booking whose start has passed: never before the trip."""
    if booking.status == Booking.Status.IN_PROGRESS:
        return True
    return booking.status == Booking.Status.CONFIRMED and (
        booking.start <= now and now >= booking.end - LATE_REPORT_OPENS
    )


def report_late_return(
    *, actor: Membership, booking: Booking, new_end: dt.datetime
) -> tuple[LateReturn, Booking | None]:
    """Extend the booking to `new_end` when the car is free; otherwise keep it and tell the
    next driver when the car should be back. Returns what happened and the next booking.

    Only for a trip under way (`late_report_open`), by the vehicle's cap at most
    (`max_late_extension_hours` past the booked end), and re-checked like a new booking:
    the eligibility rules (licence, insurance, agreement, young drivers, maximum length)
    over the longer slot."""
    if actor.pk != booking.driver_id:
        require_manager(actor, booking.vehicle)
    validate_range(booking.start, new_end)
    if new_end <= booking.end:
        raise DomainError(
            _("The new return time must be after the booked end."), code="end_before_start"
        )
    with vehicle_write_lock(booking.vehicle):
        booking = _locked(booking)
        require_status(booking, Booking.Status.CONFIRMED, Booking.Status.IN_PROGRESS)
        _check_late_report(actor, booking, new_end)
        vehicle = booking.vehicle
        following = first_overlap(
            vehicle=vehicle, start=booking.start, end=new_end, exclude_pk=booking.pk
        )
        if following is None:
            ensure_no_overlap(  # the owners' own time and caps hold for an extension too
                vehicle=vehicle, start=booking.start, end=new_end, exclude_pk=booking.pk
            )
            _extend(booking, new_end, actor)
            return LateReturn.EXTENDED, None
        following.previous_late_until = new_end
        following.save(update_fields=["previous_late_until", "updated_at"])
        _audit("booking.late_return_warned", actor, booking, next_booking=following.pk)
        queue_notifications([late_return_message(following, until=new_end)])
    return LateReturn.NEXT_DRIVER_WARNED, following


def _check_late_report(actor: Membership, booking: Booking, new_end: dt.datetime) -> None:
    now = timezone.now()
    if not late_report_open(booking, now):
        raise DomainError(
            _(
                "A late return is reported once the trip is under way, or in the last hour "
                "of the booking. Before that, change the booking or book again."
            ),
            code="late_not_under_way",
        )
    if new_end <= now:
        raise DomainError(_("Give a return time still to come."), code="late_in_past")
    cap = booking.vehicle.max_late_extension_hours
    if new_end - booking.end > dt.timedelta(hours=cap):
        raise DomainError(
            _(
                "A late return extends the booking by %(hours)s hours at most. Choose an "
                "earlier time; for longer, ask the owner."
            )
            % {"hours": cap},
            code="late_over_cap",
            field="new_end",
        )
    eligibility = check_eligibility(
        driver=booking.driver,
        vehicle=booking.vehicle,
        start=booking.start,
        end=new_end,
        booked_by=actor,
        exclude_pk=booking.pk,
        check_notice=False,
        check_overlap=False,  # a later booking is warned instead (report_late_return)
    )
    eligibility.require(deductible_accepted=booking.accepted_deductible is not None)


def _extend(booking: Booking, new_end: dt.datetime, actor: Membership) -> None:
    previous_end = booking.end
    booking.end = new_end
    booking.blocks_until = blocks_until(booking.vehicle, new_end)
    booking.save(update_fields=["end", "blocks_until", "updated_at"])
    _audit("booking.extend", actor, booking, previous_end=previous_end.isoformat())


def _decide(booking: Booking, actor: Membership) -> None:
    booking.decided_by = actor.user
    booking.decided_at = timezone.now()


def _audit(action: str, actor: Membership, booking: Booking, **data: object) -> None:
    record_audit(
        action=action,
        actor=actor.user,
        association=booking.vehicle.association,
        target=booking,
        data={"status": booking.status, **data},
    )
