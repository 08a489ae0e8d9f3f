"""Scheduled runs are recorded (outcome, counts, error) and end by delivering the outbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from core.notices import Job, Message, ScanCounts, queue_notifications
from members.notifications import LICENCE_EXPIRING
from notifications.models import Notification, ScanRun
from notifications.runs import KEEP_RUNS, run_job
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db


def creating(association):
    def scan(*, now):
        counts = ScanCounts(checked=3)
        message = Message(
            UserFactory(),
            LICENCE_EXPIRING,
            f"driverprofile:1:{now:%Y%m%d%H%M%S%f}:7d",
            association,
            {"driver": "x", "expires_on": dt.date(2026, 4, 6), "days_left": 7},
        )
        counts.add(queue_notifications([message]))
        return counts

    return scan


def failing(*, now):
    raise RuntimeError("the database went away")


def test_a_run_is_recorded_with_its_counts_and_sends_what_it_created(association):
    run = run_job(Job("test_scan", "Test", "now", creating(association)))
    assert run.outcome == ScanRun.Outcome.SUCCEEDED
    assert (run.checked, run.created, run.sent) == (3, 1, 1)
    assert run.by_association == {str(association.pk): 1}
    assert run.finished_at >= run.started_at
    assert Notification.objects.get().status == Notification.Status.SENT
    assert len(mail.outbox) == 1


def test_a_run_also_sends_what_was_pending_before_it(association):
    Notification.objects.create(
        recipient=UserFactory(), kind="licence_expiring", key="k", subject="s", body="b"
    )
    run = run_job(Job("test_scan", "Test", "now", lambda **kw: ScanCounts()))
    assert run.sent == 1


def test_a_failed_run_is_recorded_with_its_error():
    run = run_job(Job("broken", "Broken", "now", failing))
    assert run.outcome == ScanRun.Outcome.FAILED
    assert run.error == "RuntimeError: the database went away"
    assert ScanRun.objects.get().outcome == "failed"


def test_old_runs_of_the_job_are_pruned(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    old = ScanRun.objects.create(name="j", started_at=timezone.now() - KEEP_RUNS - dt.timedelta(1))
    recent = ScanRun.objects.create(name="j", started_at=timezone.now() - dt.timedelta(days=1))
    other = ScanRun.objects.create(name="k", started_at=old.started_at)
    new = run_job(Job("j", "J", "now", lambda **kw: ScanCounts()))
    remaining = set(ScanRun.objects.values_list("pk", flat=True))
    assert remaining == {new.pk, recent.pk, other.pk}
