"""Time helpers. Storage is UTC; days, months and printed times are in the association's
IANA zone. Wall-clock arithmetic goes through zoneinfo so that a booking across a
daylight-saving change keeps its wall-clock times and its real duration.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, available_timezones

from django.utils import timezone

UTC = dt.UTC


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def is_valid_zone(name: str) -> bool:
    return name in available_timezones()


def local_now(tz: ZoneInfo) -> dt.datetime:
    return timezone.now().astimezone(tz)


def local_today(tz: ZoneInfo) -> dt.date:
    return local_now(tz).date()


def make_local(day: dt.date, time: dt.time, tz: ZoneInfo) -> dt.datetime:
    """An aware datetime for a wall-clock time in `tz`.

    In the spring-forward gap (02:30 on the last Sunday of March in Paris) the time does
    not exist; zoneinfo's fold=0 maps it forward, which is what a person means.
    """
    return dt.datetime.combine(day, time).replace(tzinfo=tz)


def day_bounds(day: dt.date, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a local day as aware datetimes; a DST day lasts 23 or 25 hours."""
    start = make_local(day, dt.time(0), tz)
    end = make_local(day + dt.timedelta(days=1), dt.time(0), tz)
    return start, end


def month_bounds(year: int, month: int, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    start = make_local(dt.date(year, month, 1), dt.time(0), tz)
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    return start, make_local(next_month, dt.time(0), tz)


def real_duration(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """Elapsed time between two aware datetimes, whatever zones they carry."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def add_years(day: dt.date, years: int) -> dt.date:
    """The anniversary `years` later.

    French practice counts years from date to date: someone born on 29 February comes of
    age on 1 March of a common year, and a period starting on 29 February ends then too.
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return dt.date(day.year + years, 3, 1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover
