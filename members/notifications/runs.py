"""Scheduled jobs: what a scan returns, the registry of jobs, and the record of each run.

A scan is a function `scan(*, now) -> ScanCounts` that computes from database state what
is due at `now` and queues the notifications (idempotent: the outbox ignores a key it
already holds). The project (carshare/scans.py) registers the jobs, since only the roof
may import every app; members keeps the registry so that its admin page can list them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.functional import Promise

from members.models import ScanRun
from members.notifications.delivery import deliver_due_notifications
from members.notifications.outbox import QueueResult

logger = logging.getLogger(__name__)

# Runs older than this are deleted when the job runs again: the delivery sweep runs every
# minute and the page only shows the latest runs.
KEEP_RUNS = dt.timedelta(days=14)
ERROR_MAX = 4000


@dataclass
class ScanCounts:
    """How many rows a scan looked at and how many notifications it created."""

    checked: int = 0
    created: int = 0
    sent: int = 0
    by_association: Counter[int] = field(default_factory=Counter)

    def add(self, result: QueueResult) -> None:
        self.created += result.created
        self.by_association.update(result.by_association)


ScanFunction = Callable[..., ScanCounts]


@dataclass(frozen=True)
class Job:
    """A scheduled job: its name (for `run_scans` and the beat schedule), a label and a
    schedule for people, and the function it runs."""

    name: str
    label: str | Promise
    schedule: str | Promise
    run: ScanFunction


_jobs: dict[str, Job] = {}


def register_job(job: Job) -> None:
    """Add (or replace) a scheduled job; called by the project at start-up."""
    _jobs[job.name] = job


def registered_jobs() -> list[Job]:
    return list(_jobs.values())


def get_job(name: str) -> Job | None:
    return _jobs.get(name)


def run_job(job: Job, *, deliver: bool = True) -> ScanRun:
    """Run one job, record the run, then deliver whatever is pending (broker or not)."""
    run = ScanRun.objects.create(name=job.name, started_at=timezone.now())
    try:
        counts = job.run(now=timezone.now())
        if deliver:
            counts.sent += deliver_due_notifications().sent
    except Exception as error:
        logger.exception("scheduled job %s failed", job.name)
        return _finish(run, ScanCounts(), error=f"{type(error).__name__}: {error}")
    return _finish(run, counts)


def _finish(run: ScanRun, counts: ScanCounts, *, error: str = "") -> ScanRun:
    run.finished_at = timezone.now()
    run.outcome = ScanRun.Outcome.FAILED if error else ScanRun.Outcome.SUCCEEDED
    run.checked, run.created, run.sent = counts.checked, counts.created, counts.sent
    run.by_association = {str(key): value for key, value in counts.by_association.items()}
    run.error = error[:ERROR_MAX]
    run.save(
        update_fields=[
            "finished_at",
            "outcome",
            "checked",
            "created",
            "sent",
            "by_association",
            "error",
        ]
    )
    ScanRun.objects.filter(name=run.name, started_at__lt=run.started_at - KEEP_RUNS).delete()
    return run
