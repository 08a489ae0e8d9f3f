"""Run scheduled jobs at once: `python manage.py run_scans` (all) or `run_scans NAME…`.

For operators without Celery beat (a cron line calling this is enough) and for tests. Each
run is recorded like a scheduled one and ends by delivering whatever is pending, so the
notifications go out even when the broker is down.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from notifications.models import ScanRun
from notifications.registry import get_job, registered_jobs
from notifications.runs import run_job


class Command(BaseCommand):
    help = "Run the reminder scans and nightly checks now (all of them, or those named)."

    def add_arguments(self, parser: CommandParser) -> None:
        names = ", ".join(job.name for job in registered_jobs())
        parser.add_argument("names", nargs="*", help=f"job names (default: every job): {names}")

    def handle(self, *args: Any, **options: Any) -> None:
        names: list[str] = options["names"] or [job.name for job in registered_jobs()]
        unknown = [name for name in names if get_job(name) is None]
        if unknown:
            known = ", ".join(job.name for job in registered_jobs())
            raise CommandError(f"unknown job(s): {', '.join(unknown)}; known: {known}")
        failed = []
        for name in names:
            job = get_job(name)
            assert job is not None  # noqa: S101 - checked above
            run = run_job(job)
            self.stdout.write(
                f"{name}: {run.outcome}, {run.checked} checked, {run.created} created, "
                f"{run.sent} sent" + (f" — {run.error}" if run.error else "")
            )
            if run.outcome == ScanRun.Outcome.FAILED:
                failed.append(name)
        if failed:
            raise CommandError(f"failed: {', '.join(failed)}")
