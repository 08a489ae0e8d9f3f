"""Time of the nightly scans at scale, and their query counts.

    DEBUG=1 .venv/bin/python bench/nightly_scans.py [--members 2000] [--bookings 10000]

Builds its own database (a fresh SQLite file under var/bench/, or BENCH_DATABASE_URL, a
PostgreSQL database whose name contains "bench", emptied first), seeds associations with
members, driver profiles, vehicles, papers and bookings spread over the year so that a
realistic share of them is due on the scan day, then runs every scan twice at a fixed
instant (a night in Europe/Paris): the first run creates the notifications, the second
finds them all (the idempotent re-run). Prints a Markdown table: rows checked,
notifications created, queries and wall-clock seconds of each run. Not a test: nothing is
asserted here (the scan tests assert that the query count grows with batches, not rows).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCAN_AT = dt.datetime(2026, 3, 29, 2, 15, tzinfo=dt.UTC)  # 04:15 in Paris, a DST night


# The once-a-day checks over every member, vehicle and booking (carshare/celery.py).
NIGHTLY = frozenset(
    {
        "licence_expiry",
        "vehicle_documents",
        "probation_ends",
        "fee_renewals",
        "outdated_agreements",
        "ineligible_bookings",
        "bookings_without_agreement",
    }
)


def setup(database_url: str | None) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carshare.settings")
    os.environ["DEBUG"] = "1"
    os.environ.pop("REDIS_URL", None)  # no broker: sending is queued to nowhere, swept later
    os.environ["EMAIL_URL"] = "locmem://"
    if database_url:
        if "bench" not in database_url.rsplit("/", 1)[-1]:
            raise SystemExit("BENCH_DATABASE_URL must name a database containing 'bench'")
        os.environ["DATABASE_URL"] = database_url
    else:
        path = ROOT / "var" / "bench" / "nightly.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from notifications import outbox

    # No broker in the bench: the rows wait, pending, for the delivery sweep (not timed).
    outbox.enqueue_on_commit = lambda *args, **kwargs: None  # type: ignore[assignment]


def prepare_database() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)


def count_queries(run: Callable[[], Any]) -> tuple[Any, int, float]:
    from django.db import connection

    queries = 0

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        result = run()
    return result, queries, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--bookings", type=int, default=10_000)
    parser.add_argument("--associations", type=int, default=20)
    args = parser.parse_args()
    setup(os.environ.get("BENCH_DATABASE_URL"))
    import time_machine
    from django.db import connection

    from bench.nightly_seed import seed
    from notifications.registry import registered_jobs

    prepare_database()
    with time_machine.travel(SCAN_AT, tick=False):
        started = time.perf_counter()
        sizes = seed(members=args.members, bookings=args.bookings, associations=args.associations)
        seeded = time.perf_counter() - started
        print(
            f"{connection.vendor}: seeded {sizes} in {seeded:.1f} s; scans at "
            f"{SCAN_AT.isoformat()} (04:15 in Paris)\n"
        )
        print("| scan | run | rows checked | notifications created | queries | seconds |")
        print("|---|---|---:|---:|---:|---:|")
        total = 0.0
        for job in registered_jobs():
            if job.name not in NIGHTLY:
                continue
            for run in ("first", "again"):
                counts, queries, seconds = count_queries(lambda job=job: job.run(now=SCAN_AT))
                total += seconds if run == "first" else 0
                print(
                    f"| {job.name} | {run} | {counts.checked} | {counts.created} | "
                    f"{queries} | {seconds:.2f} |"
                )
        print(f"\nAll nightly scans, first runs: {total:.2f} s")


if __name__ == "__main__":
    main()
