"""Helpers shared by the scans of every app: batches, day stages, date windows, keys.

Scans read in batches of BATCH_SIZE rows (keyset pagination on the primary key); for each
batch they load what they need about its rows in a fixed number of queries, so the query
count grows with the number of batches, never with the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TypeVar

from django.db.models import Model, QuerySet

BATCH_SIZE = 500

# Days before a date (an expiry, a fee's end) at which people are told, most distant first.
# A scan sends only the most urgent stage reached, so a paper added 5 days before its
# expiry gets the 7-day notice, not the 30-day one as well.
EXPIRY_STAGES = (30, 7, 0)

# A date passed at most this many days ago still gets its day-0 notice: the scans catch up
# after an outage of the workers or of the broker, without digging up old history.
CATCH_UP_DAYS = 7

M = TypeVar("M", bound=Model)
T = TypeVar("T")


def batched(queryset: QuerySet[M], size: int | None = None) -> Iterator[list[M]]:
    """The rows of `queryset` in primary-key order, `size` (default BATCH_SIZE) at a time,
    one query a batch."""
    size = size or BATCH_SIZE
    last_pk: object = None
    while True:
        page = queryset.order_by("pk")
        if last_pk is not None:
            page = page.filter(pk__gt=last_pk)
        rows = list(page[:size])
        if not rows:
            return
        yield rows
        last_pk = rows[-1].pk


def chunked(items: Sequence[T], size: int | None = None) -> Iterator[Sequence[T]]:
    """`items` cut in slices of `size` (default BATCH_SIZE)."""
    size = size or BATCH_SIZE
    for start in range(0, len(items), size):
        yield items[start : start + size]


def day_stage(
    days_left: int, stages: tuple[int, ...] = EXPIRY_STAGES, catch_up: int = CATCH_UP_DAYS
) -> int | None:
    """The most urgent stage reached `days_left` days before a date, None if none is due."""
    if days_left > max(stages) or days_left < -catch_up:
        return None
    return min(stage for stage in stages if days_left <= stage)


def date_window(now: dt.datetime, *, before: int, after: int) -> tuple[dt.date, dt.date]:
    """Dates from `before` days ago to `after` days ahead, in any time zone of the world.

    A local date differs from the UTC date by one day at most; the scans then compute the
    exact number of days in each association's zone.
    """
    today = now.astimezone(dt.UTC).date()
    return today - dt.timedelta(days=before + 1), today + dt.timedelta(days=after + 1)


def utc_stamp(moment: dt.datetime) -> str:
    """A compact UTC time for keys: a moved booking gets new reminders, the same one never."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")
