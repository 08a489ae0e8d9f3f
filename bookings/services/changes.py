"""Change a booking (its times, its car), through the same guard as a new booking."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from bookings.eligibility import check_eligibility
from bookings.models import Booking
from bookings.notifications import BOOKING_CHANGED
from bookings.selectors.overlap import blocks_until
from bookings.services.bookings import _locked, needs_approval
from bookings.services.guard import ensure_no_overlap, vehicle_write_lock
from bookings.services.waiting import tell_waiting_members
from bookings.slots import validate_new_slot
from core.errors import ConflictError, ForbiddenError
from core.notices import Message, link, queue_notifications
from members.audit import record_audit
from members.models import Membership, User
from vehicles.access import can_manage_vehicle
from vehicles.models import Vehicle
from vehicles.permissions import require_manager
from vehicles.selectors import vehicle_approvers

# The service; change_messages is a helper of the services that move a booking.
__all__ = ["change_booking"]

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
    A car that needs its owner's approval gets the booking back as requested. The owners,
    the driver (when someone else moved it) and the car's next driver are told; members
    waiting for the old slot are told when it is free."""
    if actor.pk != booking.driver_id:
        require_manager(actor, booking.vehicle)
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
        before = Before(current.vehicle, current.start, current.end, current.blocks_until)
        _apply(current, actor, vehicle, start, end)
        entry = record_audit(
            action="booking.change",
            actor=actor.user,
            association=vehicle.association,
            target=current,
            data={"status": current.status, "before": before.as_data()},
        )
        tell_waiting_members(vehicle=before.vehicle, start=before.start, end=before.blocks_until)
        queue_notifications(change_messages(current, before, actor, key=f"change:{entry.pk}"))
    return current


@dataclass(frozen=True)
class Before:
    """The booking's slot before a change."""

    vehicle: Vehicle
    start: dt.datetime
    end: dt.datetime
    blocks_until: dt.datetime

    def as_data(self) -> dict[str, object]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "vehicle": self.vehicle.pk,
        }


def change_messages(
    booking: Booking, before: Before, actor: Membership, *, key: str
) -> list[Message]:
    """One message per person concerned by a change, never to the one who made it: the
    owners (or approving admins) of the old and the new car, the driver, and the driver of
    the car's next booking."""
    association = booking.vehicle.association
    context = {
        "driver": booking.driver.user.display_name,
        "vehicle": str(booking.vehicle),
        "old_vehicle": str(before.vehicle),
        "old_start": before.start,
        "old_end": before.end,
        "start": booking.start,
        "end": booking.end,
        "changed_by": actor.user.display_name if actor.pk != booking.driver_id else "",
        "requested": booking.status == Booking.Status.REQUESTED,
    }
    url = link("bookings:detail", slug=association.slug, pk=booking.pk)
    told: dict[int, tuple[User, dict[str, object]]] = {}
    for vehicle in {booking.vehicle, before.vehicle}:
        for owner in vehicle_approvers(vehicle):
            told.setdefault(owner.user_id, (owner.user, {**context, "role": "owner"}))
    told.setdefault(booking.driver.user_id, (booking.driver.user, {**context, "role": "driver"}))
    following = _next_booking(booking)
    if following is not None:
        told.setdefault(
            following.driver.user_id,
            (following.driver.user, {**context, "role": "next", "next_start": following.start}),
        )
    told.pop(actor.user_id, None)
    key = f"booking:{booking.pk}:{key}"
    return [
        Message(user, BOOKING_CHANGED, key, association, data, url) for user, data in told.values()
    ]


def _next_booking(booking: Booking) -> Booking | None:
    """The car's next blocking booking after this one, by another driver."""
    return (
        Booking.objects.filter(
            vehicle_id=booking.vehicle_id,
            status__in=Booking.BLOCKING_STATUSES,
            start__gte=booking.end,
        )
        .exclude(driver_id=booking.driver_id)
        .select_related("driver__user")
        .order_by("start")
        .first()
    )


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
