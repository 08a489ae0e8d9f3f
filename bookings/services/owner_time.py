"""The owner's own time: block periods of a car without a booking (one-off, or repeated on
some weekdays), and cap a driver's hours a month on it.

A new blocked period may not take a booking already made by someone else: the owner
cancels it, or agrees with its driver, first. From then on the booking guard refuses every
booking that touches the period (bookings.services.guard), whatever path writes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking, Unavailability, UsageCap
from bookings.models_owner_time import ALL_WEEKDAYS, MAX_HOURS_PER_MONTH
from bookings.selectors.owner_time import MAX_REPEATED_LENGTH, occurrences
from bookings.services.guard import vehicle_write_lock
from bookings.slots import validate_range
from core.errors import ConflictError, DomainError
from core.timeutils import real_duration
from members.audit import record_audit
from members.models import Membership
from vehicles.models import Vehicle
from vehicles.permissions import require_manager

# The services.
__all__ = ["block_period", "remove_usage_cap", "set_usage_cap", "unblock_period"]


@dataclass(frozen=True)
class Block:
    """A period the car is not lent: [start, end), repeated on `weekdays` (a bit mask,
    Monday is bit 0; 0 for once) until the local day `repeat_until` (included) or for ever."""

    start: dt.datetime
    end: dt.datetime
    reason: str = ""
    weekdays: int = 0
    repeat_until: dt.date | None = None


def block_period(*, actor: Membership, vehicle: Vehicle, block: Block) -> Unavailability:
    """An owner (or an admin) keeps the car for themselves over a period."""
    require_manager(actor, vehicle)
    _validate(block, vehicle)
    rule = Unavailability(
        vehicle=vehicle,
        created_by=actor,
        reason=block.reason.strip(),
        start=block.start,
        end=block.end,
        weekdays=block.weekdays,
        repeat_until=block.repeat_until if block.weekdays else None,
    )
    with vehicle_write_lock(vehicle):
        _ensure_no_booking_taken(rule, actor)
        rule.save()
        _audit("vehicle.period_blocked", actor, vehicle, rule.pk, weekdays=rule.weekdays)
    return rule


def unblock_period(*, actor: Membership, rule: Unavailability) -> None:
    """Give the period back: the car can be booked then again."""
    require_manager(actor, rule.vehicle)
    with transaction.atomic():
        _audit("vehicle.period_unblocked", actor, rule.vehicle, rule.pk)
        rule.delete()


def set_usage_cap(
    *, actor: Membership, vehicle: Vehicle, driver: Membership | None, hours_per_month: int
) -> UsageCap:
    """At most `hours_per_month` hours of bookings a month for `driver` (None: each driver
    who does not own the car); replaces the cap set before."""
    require_manager(actor, vehicle)
    if driver is not None and driver.association_id != vehicle.association_id:
        raise DomainError(_("This member belongs to another association."), code="foreign")
    if not 1 <= hours_per_month <= MAX_HOURS_PER_MONTH:
        raise DomainError(
            _("Give a number of hours between 1 and 744 (a month)."),
            code="hours_invalid",
            field="hours_per_month",
        )
    with transaction.atomic():
        cap, _created = UsageCap.objects.update_or_create(
            vehicle=vehicle,
            driver=driver,
            defaults={"hours_per_month": hours_per_month, "created_by": actor},
        )
        _audit("vehicle.cap_set", actor, vehicle, cap.pk, hours=hours_per_month)
    return cap


def remove_usage_cap(*, actor: Membership, cap: UsageCap) -> None:
    require_manager(actor, cap.vehicle)
    with transaction.atomic():
        _audit("vehicle.cap_removed", actor, cap.vehicle, cap.pk)
        cap.delete()


def _validate(block: Block, vehicle: Vehicle) -> None:
    validate_range(block.start, block.end)
    if not 0 <= block.weekdays <= ALL_WEEKDAYS:
        raise DomainError(_("Choose the days of the week."), code="weekdays", field="weekdays")
    if not block.weekdays and block.end <= timezone.now():
        raise DomainError(
            _("This period is over: give a period to come."), code="in_the_past", field="end"
        )
    if block.weekdays and real_duration(block.start, block.end) > MAX_REPEATED_LENGTH:
        raise DomainError(
            _("A repeated period lasts one day at most, e.g. 07:30 to 09:00."),
            code="too_long",
            field="end",
        )
    first_day = block.start.astimezone(vehicle.association.tz).date()
    if block.weekdays and block.repeat_until is not None and block.repeat_until < first_day:
        raise DomainError(
            _("The last day cannot be before the first one."),
            code="until_before_start",
            field="repeat_until",
        )
    if len(block.reason) > 200:
        raise DomainError(_("Say why in 200 characters at most."), code="reason", field="reason")


def _ensure_no_booking_taken(rule: Unavailability, actor: Membership) -> None:
    """ConflictError naming the first booking of someone else the period would take."""
    now = timezone.now()
    bookings = (
        Booking.objects.filter(
            vehicle=rule.vehicle,
            status__in=Booking.BLOCKING_STATUSES,
            blocks_until__gt=max(rule.start, now),
        )
        .exclude(driver=actor)
        .select_related("driver__user")
        .order_by("start")
    )
    if rule.weekdays == 0:
        bookings = bookings.filter(start__lt=rule.end)
    tz = rule.vehicle.association.tz
    for booking in bookings:
        if next(occurrences(rule, booking.start, booking.blocks_until, tz), None) is not None:
            raise ConflictError(
                _(
                    "%(name)s has booked the car on %(when)s, within this period. Cancel that "
                    "booking or agree with them first."
                )
                % {
                    "name": booking.driver.user.display_name,
                    "when": date_format(booking.start.astimezone(tz), "l j F H:i"),
                },
                code="bookings_in_period",
                booking=booking.pk,
            )


def _audit(action: str, actor: Membership, vehicle: Vehicle, pk: int, **data: object) -> None:
    record_audit(
        action=action,
        actor=actor.user,
        association=vehicle.association,
        target=vehicle,
        data={"id": pk, **data},
    )
