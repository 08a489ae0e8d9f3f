"""The planning grid: rows (vehicles, or the days of one vehicle), time as columns of one
hour of wall-clock time in the association's zone, bookings as blocks, the owners' own
time as kept blocks, free slots as links to the booking form. Three queries whatever the
number of bookings and kept periods in range."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone

from bookings.models import Booking
from bookings.selectors.owner_time import Period, blocked_periods
from core.timeutils import make_local
from members.models import Association
from vehicles.models import Vehicle

SLOT_HOURS = 6  # a free-slot link covers a quarter of a day
MIN_FREE = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class Block:
    booking: Booking
    col_start: int  # CSS grid lines, 1-based
    col_end: int
    clipped_before: bool
    clipped_after: bool


@dataclass(frozen=True)
class Kept:
    """An occurrence of the owners' own time: the car is not lent then."""

    period: Period
    col_start: int
    col_end: int


@dataclass(frozen=True)
class Slot:
    start: dt.datetime
    end: dt.datetime
    col_start: int
    col_end: int


@dataclass
class Row:
    label: str
    vehicle: Vehicle
    day: dt.date | None = None
    blocks: list[Block] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)


@dataclass(frozen=True)
class HeadCell:
    day: dt.date | None
    hour: int | None
    col_start: int
    col_end: int


@dataclass
class Grid:
    first_day: dt.date
    days: list[dt.date]
    hours_per_row: int
    rows: list[Row]

    @property
    def head(self) -> list[HeadCell]:
        """Days across a week-long row; quarters of the day across a day-long row."""
        if self.hours_per_row > 24:
            return [HeadCell(d, None, i * 24 + 1, i * 24 + 25) for i, d in enumerate(self.days)]
        return [HeadCell(None, h, h + 1, h + SLOT_HOURS + 1) for h in range(0, 24, SLOT_HOURS)]


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def bookings_in_range(
    vehicles: Iterable[int], start: dt.datetime, end: dt.datetime
) -> QuerySet[Booking]:
    """Bookings that show in a calendar (not refused or cancelled) meeting [start, end)."""
    return (
        Booking.objects.filter(vehicle_id__in=list(vehicles), start__lt=end, end__gt=start)
        .exclude(status__in=[Booking.Status.REFUSED, Booking.Status.CANCELLED])
        .select_related("driver__user")
        .order_by("start")
    )


def active_vehicles(association: Association) -> list[Vehicle]:
    return list(Vehicle.objects.filter(association=association, is_active=True).order_by("name"))


def planning_grid(association: Association, first_day: dt.date, days: int = 7) -> Grid:
    """Vehicles as rows over `days` days from `first_day`."""
    tz = association.tz
    vehicles = active_vehicles(association)
    start, end = make_local(first_day, dt.time(0), tz), _day_end(first_day, days, tz)
    by_vehicle: dict[int, list[Booking]] = defaultdict(list)
    for booking in bookings_in_range((v.pk for v in vehicles), start, end):
        by_vehicle[booking.vehicle_id].append(booking)
    kept = blocked_periods(vehicles, start, end, tz)
    rows = [
        _row(v.name, v, None, (by_vehicle[v.pk], kept.get(v.pk, [])), first_day, days, tz)
        for v in vehicles
    ]
    return Grid(first_day, _days(first_day, days), 24 * days, rows)


def vehicle_week_grid(vehicle: Vehicle, first_day: dt.date, days: int = 7) -> Grid:
    """One vehicle, the days as rows."""
    tz = vehicle.association.tz
    start, end = make_local(first_day, dt.time(0), tz), _day_end(first_day, days, tz)
    taken = (
        list(bookings_in_range([vehicle.pk], start, end)),
        blocked_periods([vehicle], start, end, tz).get(vehicle.pk, []),
    )
    rows = [_row("", vehicle, day, taken, day, 1, tz) for day in _days(first_day, days)]
    return Grid(first_day, _days(first_day, days), 24, rows)


def _days(first_day: dt.date, days: int) -> list[dt.date]:
    return [first_day + dt.timedelta(days=i) for i in range(days)]


def _day_end(first_day: dt.date, days: int, tz: ZoneInfo) -> dt.datetime:
    return make_local(first_day + dt.timedelta(days=days), dt.time(0), tz)


def _row(
    label: str,
    vehicle: Vehicle,
    day: dt.date | None,
    taken: tuple[list[Booking], list[Period]],
    first_day: dt.date,
    days: int,
    tz: ZoneInfo,
) -> Row:
    """One row; `taken` holds the car's bookings and kept periods over the whole grid."""
    start, end = make_local(first_day, dt.time(0), tz), _day_end(first_day, days, tz)
    mine = [b for b in taken[0] if b.start < end and b.end > start]
    kept = [p for p in taken[1] if p.meets(start, end)]
    row = Row(label=label, vehicle=vehicle, day=day)
    row.blocks = [_block(b, first_day, days, start, end, tz) for b in mine]
    row.kept = [_kept(p, first_day, days, start, end, tz) for p in kept]
    row.slots = list(_free_slots(_busy(mine, kept, vehicle), first_day, days, tz))
    return row


def _column(moment: dt.datetime, first_day: dt.date, tz: ZoneInfo, *, up: bool) -> int:
    """Grid line of a moment: wall-clock hours since the first day's midnight, plus one."""
    local = moment.astimezone(tz)
    hours = (local.date() - first_day).days * 24 + local.hour + local.minute / 60
    return (math.ceil(hours) if up else math.floor(hours)) + 1


def _block(
    booking: Booking,
    first_day: dt.date,
    days: int,
    start: dt.datetime,
    end: dt.datetime,
    tz: ZoneInfo,
) -> Block:
    col_start = _column(max(booking.start, start), first_day, tz, up=False)
    col_end = _column(booking.end, first_day, tz, up=True) if booking.end < end else 24 * days + 1
    return Block(
        booking=booking,
        col_start=col_start,
        col_end=max(col_end, col_start + 1),
        clipped_before=booking.start < start,
        clipped_after=booking.end > end,
    )


def _kept(
    period: Period,
    first_day: dt.date,
    days: int,
    start: dt.datetime,
    end: dt.datetime,
    tz: ZoneInfo,
) -> Kept:
    col_start = _column(max(period.start, start), first_day, tz, up=False)
    col_end = _column(period.end, first_day, tz, up=True) if period.end < end else 24 * days + 1
    return Kept(period=period, col_start=col_start, col_end=max(col_end, col_start + 1))


def _busy(
    bookings: list[Booking], kept: list[Period], vehicle: Vehicle
) -> list[tuple[dt.datetime, dt.datetime]]:
    """When a new booking cannot be: its own buffer must fit before the next booking and
    before the owners' next period too (the guard's rule)."""
    buffer = dt.timedelta(minutes=vehicle.buffer_minutes)
    busy = [(b.start - buffer, b.blocks_until) for b in bookings if b.is_blocking]
    busy += [(p.start - buffer, p.end) for p in kept]
    return sorted(busy)


def _free_slots(
    busy: list[tuple[dt.datetime, dt.datetime]], first_day: dt.date, days: int, tz: ZoneInfo
) -> Iterable[Slot]:
    now = timezone.now()
    for index in range(days * 24 // SLOT_HOURS):
        day = first_day + dt.timedelta(days=index * SLOT_HOURS // 24)
        hour = index * SLOT_HOURS % 24
        slot_start = make_local(day, dt.time(hour), tz)
        slot_end = (
            make_local(day, dt.time(hour + SLOT_HOURS), tz)
            if hour + SLOT_HOURS < 24
            else make_local(day + dt.timedelta(days=1), dt.time(0), tz)
        )
        free = _first_free(max(slot_start, now), slot_end, busy)
        if free is not None:
            first_col = index * SLOT_HOURS + 1
            yield Slot(free[0], free[1], first_col, first_col + SLOT_HOURS)


def _first_free(
    start: dt.datetime, end: dt.datetime, busy: list[tuple[dt.datetime, dt.datetime]]
) -> tuple[dt.datetime, dt.datetime] | None:
    """The first free stretch of at least MIN_FREE in [start, end), minutes rounded up."""
    start = _round_up(start)
    for busy_start, busy_end in busy:
        if busy_end <= start or busy_start >= end:
            continue
        if busy_start - start >= MIN_FREE:
            return start, busy_start
        start = _round_up(max(start, busy_end))
    return (start, end) if end - start >= MIN_FREE else None


def _round_up(moment: dt.datetime) -> dt.datetime:
    """To the next quarter of an hour, so that the form is prefilled with a round time."""
    extra = (-moment.minute) % 15
    rounded = moment.replace(second=0, microsecond=0) + dt.timedelta(minutes=extra)
    return rounded if rounded >= moment else rounded + dt.timedelta(minutes=15)


@dataclass
class MonthDay:
    day: dt.date
    in_month: bool
    bookings: list[Booking] = field(default_factory=list)


def vehicle_month(vehicle: Vehicle, year: int, month: int) -> list[list[MonthDay]]:
    """Weeks (Monday first) of the month, each day with the bookings that touch it."""
    tz = vehicle.association.tz
    first = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    grid_start = week_start(first)
    grid_days = (week_start(following - dt.timedelta(days=1)) - grid_start).days + 7
    start = make_local(grid_start, dt.time(0), tz)
    end = _day_end(grid_start, grid_days, tz)
    cells = [MonthDay(day, day.month == month) for day in _days(grid_start, grid_days)]
    for booking in bookings_in_range([vehicle.pk], start, end):
        first_index = max((booking.start.astimezone(tz).date() - grid_start).days, 0)
        last_moment = booking.end.astimezone(tz) - dt.timedelta(microseconds=1)
        last_index = min((last_moment.date() - grid_start).days, grid_days - 1)
        for index in range(first_index, last_index + 1):
            cells[index].bookings.append(booking)
    return [cells[i : i + 7] for i in range(0, grid_days, 7)]
