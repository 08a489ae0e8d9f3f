"""Change a booking (its times, its car), through the same guard as a new booking."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from bookings.eligibility import check_eligibility
from bookings.models import Booking
from bookings.selectors.overlap import blocks_until
from bookings.services.bookings import _audit, _locked, _require_manager, needs_approval
from bookings.services.guard import ensure_no_overlap, vehicle_write_lock
from bookings.slots import validate_new_slot
from core.errors import ConflictError, ForbiddenError
from members.models import Membership
from vehicles.access import can_manage_vehicle
from vehicles.models import Vehicle

CHANGEABLE = (Booking.Status.REQUESTED, Booking.Status.CONFIRMED)


def change_booking(
    *,
    actor: Membership,
    booking: Booking,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    vehicle: Vehicle | None = None,
) -> Booking:
    """Move a booking that has not started to other times or another car of the association.

    The driver's eligibility and the no-overlap guard are checked as for a new booking, in
    the transaction that writes the change: a refused change leaves the booking as it was.
    A car that needs its owner's approval gets the booking back as requested."""
    if actor.pk != booking.driver_id:
        _require_manager(actor, booking)
    vehicle = vehicle or booking.vehicle
    start, end = start or booking.start, end or booking.end
    if (vehicle.pk, start, end) == (booking.vehicle_id, booking.start, booking.end):
        return booking  # nothing asked to change: no rule to check again
    if vehicle.association_id != booking.vehicle.association_id:
        raise ForbiddenError(_("This vehicle belongs to another association."), code="forbidden")
    validate_new_slot(start, end)
    eligibility = check_eligibility(
        driver=booking.driver,
        vehicle=vehicle,
        start=start,
        end=end,
        booked_by=actor,
        exclude_pk=booking.pk,
    )
    eligibility.require(deductible_accepted=booking.accepted_deductible is not None)
    with vehicle_write_lock(vehicle):
        current = _locked(booking)
        if current.status not in CHANGEABLE:
            raise ConflictError(
                _("This booking is %(status)s: it can no longer be changed.")
                % {"status": current.get_status_display()},
                code="invalid_status",
            )
        ensure_no_overlap(vehicle=vehicle, start=start, end=end, exclude_pk=current.pk)
        before = {
            "start": current.start.isoformat(),
            "end": current.end.isoformat(),
            "vehicle": current.vehicle_id,
            "status": current.status,
        }
        _apply(current, actor, vehicle, start, end)
        _audit("booking.change", actor, current, before=before)
    return current


def _apply(
    booking: Booking, actor: Membership, vehicle: Vehicle, start: dt.datetime, end: dt.datetime
) -> None:
    booking.vehicle, booking.start, booking.end = vehicle, start, end
    booking.blocks_until = blocks_until(vehicle, end)
    manager = can_manage_vehicle(actor, vehicle)
    if not manager and needs_approval(vehicle=vehicle, driver=booking.driver, booked_by=actor):
        booking.status = Booking.Status.REQUESTED
        booking.decided_by, booking.decided_at = None, None
    booking.save(
        update_fields=[
            "vehicle",
            "start",
            "end",
            "blocks_until",
            "status",
            "decided_by",
            "decided_at",
            "updated_at",
        ]
    )
