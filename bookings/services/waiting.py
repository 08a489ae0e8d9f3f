"""The waiting list: a member asks to be told when a taken slot of a car frees; every
service that frees time on a car (cancel, refuse, change, early return) calls
`tell_waiting_members` in its transaction, and each waiting member whose whole slot is free
again is told once (outbox key `slot_free:waiting:<entry>`), in the order they joined, with a
link that books the slot."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.eligibility import check_eligibility
from bookings.models import WaitingEntry
from bookings.notifications import SLOT_FREE
from bookings.selectors.overlap import first_overlap, overlapping_bookings
from bookings.slots import validate_new_slot
from core.errors import ConflictError, DomainError, ForbiddenError
from core.notices import Message, link, queue_notifications
from members.audit import record_audit
from members.models import Membership
from vehicles.models import Vehicle

# The services; tell_waiting_members runs inside the services that free a slot.
__all__ = ["join_waiting_list", "leave_waiting_list"]

# A member waits for this many slots at most at a time (a hostile member cannot fill the
# outbox of the association with entries that differ by a minute).
MAX_WAITING_PER_MEMBER = 10


def join_waiting_list(
    *, actor: Membership, vehicle: Vehicle, start: dt.datetime, end: dt.datetime
) -> WaitingEntry:
    """Wait for a taken slot of `vehicle`: refused when the slot is free (book it instead),
    when the member may not drive the car, or when they already wait for this slot."""
    if vehicle.association_id != actor.association_id:
        raise ForbiddenError(_("This vehicle belongs to another association."), code="forbidden")
    validate_new_slot(start, end)
    check_eligibility(
        driver=actor, vehicle=vehicle, start=start, end=end, booked_by=actor, check_overlap=False
    ).require(deductible_accepted=True)
    with transaction.atomic():
        if first_overlap(vehicle=vehicle, start=start, end=end) is None:
            raise ConflictError(_("The car is free at that time: book it."), code="slot_free")
        _check_not_waiting(actor, vehicle, start, end)
        try:
            with transaction.atomic():
                entry = WaitingEntry.objects.create(
                    vehicle=vehicle, member=actor, start=start, end=end
                )
        except IntegrityError as error:  # the same request twice at once
            raise _already_waiting() from error
        record_audit(
            action="booking.waiting_join",
            actor=actor.user,
            association=actor.association,
            target=entry,
            data={"vehicle": vehicle.pk, "start": start.isoformat(), "end": end.isoformat()},
        )
    return entry


def _already_waiting() -> ConflictError:
    return ConflictError(
        _("You are already on the waiting list for this car at that time."),
        code="already_waiting",
    )


def _check_not_waiting(
    actor: Membership, vehicle: Vehicle, start: dt.datetime, end: dt.datetime
) -> None:
    waiting = WaitingEntry.objects.filter(member=actor, notified_at__isnull=True)
    if waiting.filter(vehicle=vehicle, start__lt=end, end__gt=start).exists():
        raise _already_waiting()
    if waiting.filter(end__gt=timezone.now()).count() >= MAX_WAITING_PER_MEMBER:
        raise DomainError(
            _("You wait for %(max)s slots already: leave one of them first.")
            % {"max": MAX_WAITING_PER_MEMBER},
            code="too_many_waiting",
        )


def leave_waiting_list(*, actor: Membership, entry: WaitingEntry) -> None:
    """The member leaves a waiting list (their own entry only)."""
    if entry.member_id != actor.pk:
        raise ForbiddenError(_("This is another member's waiting list entry."), code="forbidden")
    with transaction.atomic():
        record_audit(
            action="booking.waiting_leave",
            actor=actor.user,
            association=actor.association,
            target=entry,
            data={"vehicle": entry.vehicle_id},
        )
        entry.delete()


def tell_waiting_members(*, vehicle: Vehicle, start: dt.datetime, end: dt.datetime) -> int:
    """Call inside the transaction that freed [start, end) of `vehicle`: each member waiting
    for a slot that meets it and is now wholly free is told once, in the order they joined.
    Returns how many were told."""
    now = timezone.now()
    entries = list(
        WaitingEntry.objects.select_for_update()
        .filter(
            vehicle=vehicle,
            notified_at__isnull=True,
            start__lt=end,
            end__gt=start,
            start__gt=now,  # a slot already begun is no longer offered
        )
        .select_related("member__user", "member__association", "vehicle")
        .order_by("created_at", "pk")
    )
    freed = [entry for entry in entries if not _still_taken(entry)]
    if not freed:
        return 0
    WaitingEntry.objects.filter(pk__in=[entry.pk for entry in freed]).update(notified_at=now)
    queue_notifications([_message(entry) for entry in freed])
    return len(freed)


def _still_taken(entry: WaitingEntry) -> bool:
    return overlapping_bookings(vehicle=entry.vehicle, start=entry.start, end=entry.end).exists()


def _message(entry: WaitingEntry) -> Message:
    association = entry.member.association
    tz = association.tz
    start, end = entry.start.astimezone(tz), entry.end.astimezone(tz)
    query = urlencode(
        {
            "vehicle": entry.vehicle_id,
            "start": f"{start:%Y-%m-%dT%H:%M}",
            "end": f"{end:%Y-%m-%dT%H:%M}",
        }
    )
    return Message(
        entry.member.user,
        SLOT_FREE,
        f"waiting:{entry.pk}",
        association,
        {"vehicle": entry.vehicle.name, "start": start, "end": end},
        f"{link('bookings:create', slug=association.slug)}?{query}",
    )
