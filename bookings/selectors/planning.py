"""The planning: a grid for wide screens (rows of vehicles, or the days of one vehicle; one
column per hour of wall-clock time in the association's zone; bookings as blocks, free
quarter days as links to the booking form; the owners' own time as kept blocks, with no
free slot inside) and, for phones, an agenda of one day (each vehicle's bookings, kept
periods and free stretches, one under the other).

Three queries whatever the number of bookings and kept periods in range. Everything the
templates show per block and per free slot (texts, links, accessible labels) is formatted
here, once per distinct value, so that the templates only print strings: the template
engine's filters, `{% url %}` and `{% blocktranslate %}` per slot were 85 % of the page's
time.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bookings.models import Booking
from bookings.selectors.owner_time import Period, blocked_periods
from core.prepared import PreparedQuery
from core.timeutils import make_local
from members.models import Membership
from vehicles.models import Vehicle

SLOT_HOURS = 6  # a free-slot link of the grid covers a quarter of a day
MIN_FREE = dt.timedelta(minutes=30)

Busy = list[tuple[dt.datetime, dt.datetime]]
Taken = tuple[list[Booking], list[Period]]  # a car's bookings and kept periods


class VehicleLike(Protocol):
    """A Vehicle, or the planning's light PlanningVehicle."""

    @property
    def pk(self) -> Any: ...
    @property
    def name(self) -> str: ...
    @property
    def buffer_minutes(self) -> int: ...


@dataclass(frozen=True)
class Block:
    booking: Booking
    col_start: int  # CSS grid lines, 1-based
    col_end: int
    clipped_before: bool
    clipped_after: bool
    text: str = ""  # "08:00–10:00 · Bruno L."
    title: str = ""  # the full dates, the driver's name and the status
    href: str = ""  # empty when the viewer may not open the booking


@dataclass(frozen=True)
class Kept:
    """An occurrence of the owners' own time: the car is not lent then."""

    period: Period
    col_start: int
    col_end: int
    text: str = ""  # "07:30–09:00 not lent"
    title: str = ""  # the full dates, what it means and the owner's reason


@dataclass(frozen=True)
class Slot:
    start: dt.datetime
    end: dt.datetime
    col_start: int
    col_end: int
    href: str = ""
    label: str = ""  # "Book Clio on Monday 7 December 12:00–18:00"
    times: str = ""  # "12:00–18:00"


@dataclass
class Row:
    label: str
    vehicle: VehicleLike
    day: dt.date | None = None
    blocks: list[Block] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)
    href: str = ""  # the vehicle's own calendar


@dataclass(frozen=True)
class HeadCell:
    day: dt.date | None
    hour: int | None
    col_start: int
    col_end: int
    text: str = ""


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
            return [
                HeadCell(d, None, i * 24 + 1, i * 24 + 25, date_format(d, "D j/m"))
                for i, d in enumerate(self.days)
            ]
        return [
            HeadCell(None, h, h + 1, h + SLOT_HOURS + 1, f"{h:02d}:00")
            for h in range(0, 24, SLOT_HOURS)
        ]


@dataclass(frozen=True)
class AgendaItem:
    """One line of a vehicle's day on a phone: a booking, the owners' kept time, or a free
    stretch to book."""

    start: dt.datetime
    text: str
    status: str = ""  # a booking's status, or "kept"; empty for a free stretch
    status_label: str = ""
    href: str = ""


@dataclass
class AgendaVehicle:
    vehicle: VehicleLike
    href: str
    items: list[AgendaItem] = field(default_factory=list)


@dataclass
class Agenda:
    day: dt.date
    vehicles: list[AgendaVehicle]


@dataclass(frozen=True)
class Viewer:
    """Who looks: their own bookings and those of the vehicles they manage are links."""

    membership_id: int
    managed: frozenset[int]
    slug: str

    @classmethod
    def of(cls, membership: Membership, managed: Iterable[int]) -> Viewer:
        return cls(membership.pk, frozenset(managed), membership.association.slug)

    def may_open(self, booking: Booking) -> bool:
        return booking.driver_id == self.membership_id or booking.vehicle_id in self.managed


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


@dataclass(frozen=True)
class PlanningVehicle:
    """What the planning shows of a vehicle, and the version of its bookings and kept
    periods."""

    pk: int
    name: str
    buffer_minutes: int
    bookings_version: int
    is_managed: bool  # by the viewer: its bookings are links


_PLANNING_VEHICLES = PreparedQuery(
    lambda association_id: (
        Vehicle.objects.filter(association_id=association_id, is_active=True)
        .values_list(
            "pk", "name", "buffer_minutes", "bookings_version__version", "ownerships__owner_id"
        )
        .order_by("name", "pk")
    ),
    association_id=int,
)


def planning_vehicles(membership: Membership) -> list[PlanningVehicle]:
    """The association's active vehicles by name, with the version of their bookings (read
    before any booking, see bookings.fragments): one light query, no model instances, as it
    runs on every view of the planning, cached or not. A co-owned vehicle comes once per
    owner from the join: merged here."""
    vehicles: dict[int, PlanningVehicle] = {}
    for pk, name, buffer_minutes, version, owner_id in _PLANNING_VEHICLES.rows(
        association_id=membership.association_id
    ):
        managed = membership.is_admin or owner_id == membership.pk
        if pk in vehicles:
            managed = managed or vehicles[pk].is_managed
        vehicles[pk] = PlanningVehicle(pk, name, buffer_minutes, version or 0, managed)
    return list(vehicles.values())


@dataclass
class Planning:
    """The association's planning: the grid of `days` days and the agenda of `agenda_day`."""

    grid: Grid
    agenda: Agenda


def planning_for(
    vehicles: list[PlanningVehicle],
    viewer: Viewer,
    first_day: dt.date,
    days: int,
    agenda_day: dt.date,
    tz: ZoneInfo,
) -> Planning:
    """The grid over `days` days from `first_day` and the agenda of `agenda_day` (inside it),
    from one query of bookings and one of kept periods."""
    start, end = make_local(first_day, dt.time(0), tz), _day_end(first_day, days, tz)
    by_vehicle: dict[int, list[Booking]] = defaultdict(list)
    for booking in bookings_in_range((v.pk for v in vehicles), start, end):
        by_vehicle[booking.vehicle_id].append(booking)
    kept = blocked_periods(vehicles, start, end, tz)
    taken = {v.pk: (by_vehicle[v.pk], kept.get(v.pk, [])) for v in vehicles}
    texts = _Texts(viewer, tz)
    rows = [_row(v.name, v, None, taken[v.pk], first_day, days, tz, texts) for v in vehicles]
    agenda = Agenda(
        agenda_day, [_agenda_vehicle(v, taken[v.pk], agenda_day, tz, texts) for v in vehicles]
    )
    return Planning(Grid(first_day, _days(first_day, days), 24 * days, rows), agenda)


def vehicle_week_grid(vehicle: Vehicle, first_day: dt.date, viewer: Viewer, days: int = 7) -> Grid:
    """One vehicle, the days as rows."""
    tz = vehicle.association.tz
    start, end = make_local(first_day, dt.time(0), tz), _day_end(first_day, days, tz)
    taken = (
        list(bookings_in_range([vehicle.pk], start, end)),
        blocked_periods([vehicle], start, end, tz).get(vehicle.pk, []),
    )
    texts = _Texts(viewer, tz)
    rows = [
        _row(date_format(day, "D j/m"), vehicle, day, taken, day, 1, tz, texts)
        for day in _days(first_day, days)
    ]
    return Grid(first_day, _days(first_day, days), 24, rows)


def _days(first_day: dt.date, days: int) -> list[dt.date]:
    return [first_day + dt.timedelta(days=i) for i in range(days)]


def _day_end(first_day: dt.date, days: int, tz: ZoneInfo) -> dt.datetime:
    return make_local(first_day + dt.timedelta(days=days), dt.time(0), tz)


class _Texts:
    """The strings of one page, each distinct date formatted once (in the active language)."""

    def __init__(self, viewer: Viewer, tz: ZoneInfo) -> None:
        self.viewer = viewer
        self.tz = tz
        self.create_url = reverse("bookings:create", kwargs={"slug": viewer.slug})
        self.detail_url = _url_with_id("bookings:detail", viewer.slug, "pk")
        self.calendar_url = _url_with_id("bookings:vehicle_calendar", viewer.slug, "vehicle_id")
        self.days: dict[tuple[dt.date, str], str] = {}
        self.statuses = dict(Booking.Status.choices)
        self.book_label = _("Book %(vehicle)s on %(start)s–%(end)s")
        self.not_lent = _("not lent")
        self.kept_meaning = _("not lent: the owner keeps the car")

    def day(self, day: dt.date, fmt: str) -> str:
        key = (day, fmt)
        if key not in self.days:
            self.days[key] = date_format(day, fmt)
        return self.days[key]

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.tz)

    def booking_url(self, booking: Booking) -> str:
        return self.detail_url.format(booking.pk) if self.viewer.may_open(booking) else ""

    def vehicle_calendar(self, vehicle: VehicleLike, day: dt.date) -> str:
        return f"{self.calendar_url.format(vehicle.pk)}?date={day:%Y-%m-%d}"

    def slot_href(self, vehicle: VehicleLike, start: dt.datetime, end: dt.datetime) -> str:
        start, end = self.local(start), self.local(end)
        return (
            f"{self.create_url}?vehicle={vehicle.pk}"
            f"&start={start:%Y-%m-%dT%H:%M}&end={end:%Y-%m-%dT%H:%M}"
        )

    def block_title(self, booking: Booking) -> str:
        return (
            f"{self.span_title(booking.start, booking.end)} · "
            f"{booking.driver.user.display_name} · {self.statuses[booking.status]}"
        )

    def span_title(self, start: dt.datetime, end: dt.datetime) -> str:
        start, end = self.local(start), self.local(end)
        return f"{self._with_day(start)}–{self._with_day(end)}"

    def kept_title(self, period: Period) -> str:
        reason = f" · {period.rule.reason}" if period.rule.reason else ""
        return f"{self.span_title(period.start, period.end)} · {self.kept_meaning}{reason}"

    def times(self, start: dt.datetime, end: dt.datetime, day: dt.date | None = None) -> str:
        """Like 08:00–10:00; an end (or a start) on another day than `day` says which day;
        the midnight that ends `day` is 24:00."""
        start, end = self.local(start), self.local(end)
        day = day or start.date()
        first = f"{start:%H:%M}" if start.date() == day else self._with_day(start)
        if end.date() == day:
            last = f"{end:%H:%M}"
        elif end.date() == day + dt.timedelta(days=1) and end.time() == dt.time(0):
            last = "24:00"
        else:
            last = self._with_day(end)
        return f"{first}–{last}"

    def _with_day(self, moment: dt.datetime) -> str:
        return f"{self.day(moment.date(), 'D j/m')} {moment:%H:%M}"


def _url_with_id(name: str, slug: str, key: str) -> str:
    """A URL pattern reversed once, with `{}` where the id goes."""
    placeholder = 987654321
    url = reverse(name, kwargs={"slug": slug, key: placeholder})
    return url.replace("{", "{{").replace("}", "}}").replace(str(placeholder), "{}")


def short_name(booking: Booking) -> str:
    """ "Bruno L.": a first name and an initial, enough to know who has the car."""
    user = booking.driver.user
    if not user.first_name:
        return user.display_name
    return f"{user.first_name} {user.last_name[:1]}.".strip() if user.last_name else user.first_name


def _row(
    label: str,
    vehicle: VehicleLike,
    day: dt.date | None,
    taken: Taken,
    first_day: dt.date,
    days: int,
    tz: ZoneInfo,
    texts: _Texts,
) -> Row:
    """One row; `taken` holds the car's bookings and kept periods over the whole grid."""
    start, end = make_local(first_day, dt.time(0), tz), _day_end(first_day, days, tz)
    mine = [b for b in taken[0] if b.start < end and b.end > start]
    kept = [p for p in taken[1] if p.meets(start, end)]
    row = Row(label=label, vehicle=vehicle, day=day)
    row.href = texts.vehicle_calendar(vehicle, first_day)
    row.blocks = [_block(b, first_day, days, start, end, texts) for b in mine]
    row.kept = [_kept(p, first_day, days, start, end, texts) for p in kept]
    row.slots = list(_free_slots(_busy((mine, kept), vehicle), vehicle, first_day, days, tz, texts))
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
    texts: _Texts,
) -> Block:
    tz = texts.tz
    col_start = _column(max(booking.start, start), first_day, tz, up=False)
    col_end = _column(booking.end, first_day, tz, up=True) if booking.end < end else 24 * days + 1
    return Block(
        booking=booking,
        col_start=col_start,
        col_end=max(col_end, col_start + 1),
        clipped_before=booking.start < start,
        clipped_after=booking.end > end,
        # A week's hour is a few pixels wide: the block shows its start; the title and
        # the hidden text say the rest.
        text=f"{texts.local(booking.start):%H:%M}"
        if days > 1
        else f"{texts.times(booking.start, booking.end)} · {short_name(booking)}",
        title=texts.block_title(booking),
        href=texts.booking_url(booking),
    )


def _kept(
    period: Period,
    first_day: dt.date,
    days: int,
    start: dt.datetime,
    end: dt.datetime,
    texts: _Texts,
) -> Kept:
    tz = texts.tz
    col_start = _column(max(period.start, start), first_day, tz, up=False)
    col_end = _column(period.end, first_day, tz, up=True) if period.end < end else 24 * days + 1
    return Kept(
        period=period,
        col_start=col_start,
        col_end=max(col_end, col_start + 1),
        # As a booking's block: a week's block shows its start, the title the rest.
        text=f"{texts.local(period.start):%H:%M}"
        if days > 1
        else f"{texts.times(period.start, period.end)} {texts.not_lent}",
        title=texts.kept_title(period),
    )


def _busy(taken: Taken, vehicle: VehicleLike) -> Busy:
    """The times a new booking may not take: its own buffer must fit before the next
    booking and before the owners' next kept period too (the guard's rule)."""
    bookings, kept = taken
    buffer = dt.timedelta(minutes=vehicle.buffer_minutes)
    busy = [(b.start - buffer, b.blocks_until) for b in bookings if b.is_blocking]
    busy += [(p.start - buffer, p.end) for p in kept]
    return sorted(busy)


def _free_slots(
    busy: Busy,
    vehicle: VehicleLike,
    first_day: dt.date,
    days: int,
    tz: ZoneInfo,
    texts: _Texts,
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
            yield _slot(vehicle, free, first_col, first_col + SLOT_HOURS, texts)


def _slot(
    vehicle: VehicleLike,
    free: tuple[dt.datetime, dt.datetime],
    col_start: int,
    col_end: int,
    texts: _Texts,
) -> Slot:
    start, end = free
    local = texts.local(start)
    times = texts.times(start, end)
    when = f"{texts.day(local.date(), 'l j F')} {local:%H:%M}"
    return Slot(
        start=start,
        end=end,
        col_start=col_start,
        col_end=col_end,
        href=texts.slot_href(vehicle, start, end),
        label=texts.book_label
        % {"vehicle": vehicle.name, "start": when, "end": f"{texts.local(end):%H:%M}"},
        times=times,
    )


Stretch = tuple[dt.datetime, dt.datetime]


def _first_free(start: dt.datetime, end: dt.datetime, busy: Busy) -> Stretch | None:
    """The first free stretch of at least MIN_FREE in [start, end), minutes rounded up."""
    start = _round_up(start)
    for busy_start, busy_end in busy:
        if busy_end <= start or busy_start >= end:
            continue
        if busy_start - start >= MIN_FREE:
            return start, busy_start
        start = _round_up(max(start, busy_end))
    return (start, end) if end - start >= MIN_FREE else None


def free_stretches(
    start: dt.datetime, end: dt.datetime, busy: Busy
) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """Every free stretch of at least MIN_FREE in [start, end), in order."""
    while start < end:
        free = _first_free(start, end, busy)
        if free is None:
            return
        yield free
        start = free[1]


def _round_up(moment: dt.datetime) -> dt.datetime:
    """To the next quarter of an hour, so that the form is prefilled with a round time."""
    extra = (-moment.minute) % 15
    rounded = moment.replace(second=0, microsecond=0) + dt.timedelta(minutes=extra)
    return rounded if rounded >= moment else rounded + dt.timedelta(minutes=15)


def _agenda_vehicle(
    vehicle: VehicleLike, taken: Taken, day: dt.date, tz: ZoneInfo, texts: _Texts
) -> AgendaVehicle:
    """The vehicle's bookings and kept periods that touch `day` and its free stretches that
    day, by time."""
    bookings, kept = taken
    day_start, day_end = make_local(day, dt.time(0), tz), _day_end(day, 1, tz)
    items = [
        AgendaItem(
            start=b.start,
            text=f"{texts.times(b.start, b.end, day)} · {short_name(b)}",
            status=b.status,
            status_label=str(texts.statuses[b.status]),
            href=texts.booking_url(b),
        )
        for b in bookings
        if b.start < day_end and b.end > day_start
    ]
    items += [
        AgendaItem(
            start=p.start,
            text=texts.times(p.start, p.end, day)
            + (f" · {p.rule.reason}" if p.rule.reason else ""),
            status="kept",
            status_label=texts.not_lent,
        )
        for p in kept
        if p.meets(day_start, day_end)
    ]
    now = timezone.now()
    for free_start, free_end in free_stretches(max(day_start, now), day_end, _busy(taken, vehicle)):
        times = texts.times(free_start, free_end, day)
        items.append(
            AgendaItem(
                start=free_start,
                text=times,
                href=texts.slot_href(vehicle, free_start, free_end),
            )
        )
    items.sort(key=lambda item: item.start)
    return AgendaVehicle(vehicle, texts.vehicle_calendar(vehicle, day), items)


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
