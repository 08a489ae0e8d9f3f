"""Running a scheduled job and recording the run (ScanRun) for the admin page.

A job (core.notices.Job, registered in notifications.registry by the app that owns it) runs
`run(*, now) -> ScanCounts`: it computes from database state what is due at `now` and queues
the notifications (idempotent: the outbox ignores a key it already holds).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from core.notices import Job, ScanCounts
from notifications.delivery import deliver_due_notifications
from notifications.models import ScanRun

logger = logging.getLogger(__name__)

# Runs older than this are deleted when the job runs again: the delivery sweep runs every
# minute and the page only shows the latest runs.
KEEP_RUNS = dt.timedelta(days=14)
ERROR_MAX = 4000


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
