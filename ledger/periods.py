"""Settlement periods: a month ("2026-11") or a quarter ("2026-Q4"), as local dates.

Pure date arithmetic; which periods are closed is in `ledger.models.Period`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from members.models import Association

MONTH = Association.SettlementPeriod.MONTH
QUARTER = Association.SettlementPeriod.QUARTER

_MONTH_KEY = re.compile(r"^(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])$")
_QUARTER_KEY = re.compile(r"^(?P<year>\d{4})-Q(?P<quarter>[1-4])$")
_YEARS = range(2000, 2101)


@dataclass(frozen=True)
class Span:
    """A period: its key and its first and last local days (both included)."""

    key: str
    starts_on: dt.date
    ends_on: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def clipped_from(self, first_day: dt.date) -> Span:
        """The same period starting no earlier than `first_day` (after a change of rhythm)."""
        return Span(self.key, max(self.starts_on, first_day), self.ends_on)


class BadPeriod(ValueError):
    """A period key that is neither YYYY-MM nor YYYY-Qn (years 2000–2100)."""


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def month_span(year: int, month: int) -> Span:
    return Span(f"{year:04d}-{month:02d}", dt.date(year, month, 1), _month_end(year, month))


def quarter_span(year: int, quarter: int) -> Span:
    first_month = 3 * (quarter - 1) + 1
    return Span(
        f"{year:04d}-Q{quarter}", dt.date(year, first_month, 1), _month_end(year, first_month + 2)
    )


def parse_period(key: str) -> Span:
    """The span of "2026-11" or "2026-Q4"; BadPeriod otherwise."""
    key = (key or "").strip().upper()
    if match := _MONTH_KEY.match(key):
        year, month = int(match["year"]), int(match["month"])
        if year in _YEARS:
            return month_span(year, month)
    elif match := _QUARTER_KEY.match(key):
        year, quarter = int(match["year"]), int(match["quarter"])
        if year in _YEARS:
            return quarter_span(year, quarter)
    raise BadPeriod(key)


def period_containing(day: dt.date, kind: str) -> Span:
    """The month or quarter (per `kind`) that contains `day`."""
    if kind == QUARTER:
        return quarter_span(day.year, (day.month - 1) // 3 + 1)
    return month_span(day.year, day.month)


def periods_between(first: dt.date, last: dt.date, kind: str) -> list[Span]:
    """The consecutive periods from the one containing `first` to the one containing `last`."""
    spans: list[Span] = []
    day = first
    while day <= last:
        span = period_containing(day, kind)
        spans.append(span)
        day = span.ends_on + dt.timedelta(days=1)
    return spans
