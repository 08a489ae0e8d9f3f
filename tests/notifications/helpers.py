"""Helpers of the notification and scan tests: Paris wall-clock times, the outbox's keys."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import scanning
from notifications.models import Notification

PARIS = ZoneInfo("Europe/Paris")


def paris(*args: int, fold: int = 0) -> dt.datetime:
    """An aware datetime at a wall-clock time in Paris; on the repeated hour of an autumn
    night, fold=0 is the first pass (summer time) and fold=1 the second."""
    return dt.datetime(*args, tzinfo=PARIS, fold=fold)


def keys_of(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("key", flat=True))


class _Rollback(Exception):
    pass


def queries_of_scan(scan, rows: int, make_row) -> tuple[int, int]:
    """(queries, notifications created) of one run of `scan` over `rows` due rows made by
    `make_row(i)`; everything is rolled back afterwards."""
    with contextlib.suppress(_Rollback), transaction.atomic():
        for index in range(rows):
            make_row(index)
        with CaptureQueriesContext(connection) as queries:
            counts = scan(now=timezone.now())
        raise _Rollback
    return len(queries), counts.created


def assert_flat_per_batch(scan, make_row, monkeypatch, batch: int = 20) -> None:
    """Within a batch the query count does not depend on the number of rows, and every
    further batch costs the same: the count grows with batches, never with rows."""
    monkeypatch.setattr(scanning, "BATCH_SIZE", batch)
    few, created_few = queries_of_scan(scan, 3, make_row)
    one, created_one = queries_of_scan(scan, batch, make_row)
    two, _ = queries_of_scan(scan, 2 * batch, make_row)
    three, created_three = queries_of_scan(scan, 3 * batch, make_row)
    assert created_few >= 3 and created_one >= batch and created_three >= 3 * batch
    assert few == one, f"{few} queries for 3 rows, {one} for {batch}"
    assert three - two == two - one, f"batches cost {two - one}, then {three - two} queries"


def meet_before(module, name: str, monkeypatch) -> None:
    """Both workers stop just before `module.name` and go on together: the widest window."""
    meeting = threading.Barrier(2, timeout=5)
    original = getattr(module, name)

    def wait_then_call(*args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            meeting.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wait_then_call)


def in_two_workers(work: Callable[[], object]) -> list[object]:
    """Run `work` in two threads; each has its own database connection."""
    results: list[object] = []

    def worker() -> None:
        try:
            results.append(work())
        except Exception as error:  # a deadlock or an integrity error is what we look for
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
