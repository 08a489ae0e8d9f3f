"""The owner's own time: when a car is not lent (one-off or repeated periods, in the
association's zone, wall-clock times kept across daylight-saving changes) and how many
hours a driver has booked a car in a month."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import timezone

from bookings.models import Booking, Unavailability, UsageCap
from core.timeutils import make_local, month_bounds, real_duration
from members.models import Membership
from vehicles.models import Vehicle
from vehicles.selectors import is_owner

# A repeated period is one occurrence a day at most: it lasts less than a day.
MAX_REPEATED_LENGTH = dt.timedelta(hours=24)


@dataclass(frozen=True)
class Period:
    """One occurrence of a blocked period: [start, end) and the rule it comes from."""

    start: dt.datetime
    end: dt.datetime
    rule: Unavailability

    def meets(self, start: dt.datetime, end: dt.datetime) -> bool:
        return self.start < end and start < self.end


def occurrences(
    rule: Unavailability, start: dt.datetime, end: dt.datetime, tz: ZoneInfo
) -> Iterator[Period]:
    """The rule's occurrences meeting [start, end), in time order."""
    if not rule.is_repeated:
        if rule.start < end and start < rule.end:
            yield Period(rule.start, rule.end, rule)
        return
    first_start, first_end = rule.start.astimezone(tz), rule.end.astimezone(tz)
    span = first_end.date() - first_start.date()  # 0, or 1 day for a night
    day = max(first_start.date(), start.astimezone(tz).date() - span)
    last = end.astimezone(tz).date()
    if rule.repeat_until is not None:
        last = min(last, rule.repeat_until)
    while day <= last:
        if rule.repeats_on(day.weekday()):
            period = Period(
                make_local(day, first_start.time(), tz),
                make_local(day + span, first_end.time(), tz),
                rule,
            )
            if period.meets(start, end):
                yield period
        day += dt.timedelta(days=1)


def rules_meeting(
    vehicle_ids: Iterable[int], start: dt.datetime, end: dt.datetime
) -> QuerySet[Unavailability]:
    """The rules that may have an occurrence meeting [start, end) (one query); the exact
    occurrences come from `occurrences`."""
    # A repeated rule's last day is a local date: a day of margin covers every zone.
    earliest_day = (start - dt.timedelta(days=2)).date()
    one_off = Q(weekdays=0, start__lt=end, end__gt=start)
    repeated = Q(weekdays__gt=0, start__lt=end) & (
        Q(repeat_until__isnull=True) | Q(repeat_until__gte=earliest_day)
    )
    return (
        Unavailability.objects.filter(vehicle_id__in=list(vehicle_ids))
        .filter(one_off | repeated)
        .select_related("created_by__user")
        .order_by("start", "pk")
    )


def first_blocked_period(
    *,
    vehicle: Vehicle,
    start: dt.datetime,
    end: dt.datetime,
    driver: Membership | None = None,
) -> Period | None:
    """The first period the car is not lent meeting [start, end), leaving aside the
    driver's own periods (an owner books in the time they kept for themselves)."""
    rules = rules_meeting([vehicle.pk], start, end)
    if driver is not None:
        rules = rules.exclude(created_by=driver)
    tz = vehicle.association.tz
    found = [period for rule in rules for period in occurrences(rule, start, end, tz)]
    return min(found, key=lambda period: period.start, default=None)


class HasPk(Protocol):
    """A Vehicle, or the planning's light PlanningVehicle."""

    @property
    def pk(self) -> Any: ...


def blocked_periods(
    vehicles: Iterable[HasPk], start: dt.datetime, end: dt.datetime, tz: ZoneInfo
) -> dict[int, list[Period]]:
    """Every occurrence meeting [start, end) by vehicle, in time order (one query)."""
    by_vehicle: dict[int, list[Period]] = defaultdict(list)
    for rule in rules_meeting([v.pk for v in vehicles], start, end):
        by_vehicle[rule.vehicle_id].extend(occurrences(rule, start, end, tz))
    for periods in by_vehicle.values():
        periods.sort(key=lambda period: period.start)
    return by_vehicle


def unavailabilities_of(vehicle: Vehicle) -> QuerySet[Unavailability]:
    """The car's blocked periods still to come or still repeating, by start."""
    now = timezone.now()
    still_repeating = Q(weekdays__gt=0) & (
        Q(repeat_until__isnull=True) | Q(repeat_until__gte=now.date())
    )
    return (
        Unavailability.objects.filter(vehicle=vehicle)
        .filter(Q(end__gt=now) | still_repeating)
        .select_related("created_by__user")
        .order_by("start", "pk")
    )


# The driver's use of a car, for the owners' monthly caps.

HOLDING = (*Booking.BLOCKING_STATUSES, Booking.Status.COMPLETED)


@dataclass(frozen=True)
class CapExceeded:
    cap: UsageCap
    month: dt.date
    booked_hours: float


def cap_for(driver: Membership, vehicle: Vehicle) -> UsageCap | None:
    """The driver's own cap on the car, else the car's cap for every driver; owners have
    none."""
    caps = {
        cap.driver_id: cap
        for cap in vehicle.usage_caps.filter(Q(driver=driver) | Q(driver__isnull=True))
    }
    cap = caps.get(driver.pk) or caps.get(None)
    if cap is None or is_owner(driver, vehicle):
        return None
    return cap


def booked_hours(
    driver: Membership,
    vehicle: Vehicle,
    month: tuple[dt.datetime, dt.datetime],
    exclude_pk: int | None = None,
) -> float:
    """Hours of the driver's bookings of the car within a month (real time, clipped)."""
    start, end = month
    bookings = Booking.objects.filter(
        driver=driver, vehicle=vehicle, status__in=HOLDING, start__lt=end, end__gt=start
    )
    if exclude_pk is not None:
        bookings = bookings.exclude(pk=exclude_pk)
    spans = bookings.values_list("start", "end")
    return sum(clipped_hours(s, e, start, end) for s, e in spans)


def clipped_hours(
    start: dt.datetime, end: dt.datetime, window_start: dt.datetime, window_end: dt.datetime
) -> float:
    clipped = real_duration(max(start, window_start), min(end, window_end))
    return max(clipped.total_seconds(), 0) / 3600


def months_of(
    start: dt.datetime, end: dt.datetime, tz: ZoneInfo
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The local months [first instant, next month's first instant) that [start, end) meets."""
    first = start.astimezone(tz).date().replace(day=1)
    months = []
    while True:
        bounds = month_bounds(first.year, first.month, tz)
        months.append(bounds)
        if bounds[1] >= end:
            return months
        first = bounds[1].astimezone(tz).date()


def cap_exceeded(
    *,
    driver: Membership,
    vehicle: Vehicle,
    start: dt.datetime,
    end: dt.datetime,
    exclude_pk: int | None = None,
) -> CapExceeded | None:
    """The first month in which this booking would take the driver past the owner's cap."""
    cap = cap_for(driver, vehicle)
    if cap is None:
        return None
    for month in months_of(start, end, vehicle.association.tz):
        used = booked_hours(driver, vehicle, month, exclude_pk)
        wanted = clipped_hours(start, end, *month)
        if used + wanted > cap.hours_per_month:
            return CapExceeded(cap, month[0].astimezone(vehicle.association.tz).date(), used)
    return None
