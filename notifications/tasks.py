"""Background work of the outbox: thin tasks that take ids or a job's name."""

from __future__ import annotations

from celery import shared_task

from notifications.delivery import deliver_notifications
from notifications.registry import get_job
from notifications.runs import run_job


@shared_task(name="notifications.send_notifications", ignore_result=True)
def send_notifications(notification_ids: list[int]) -> None:
    """Send these notifications now (each is claimed first: a duplicate task sends nothing)."""
    deliver_notifications(list(notification_ids))


@shared_task(name="notifications.run_job", ignore_result=True)
def run_scheduled_job(name: str) -> None:
    """One scheduled job by name (the beat schedule names them); recorded for the admin page."""
    job = get_job(name)
    if job is None:
        raise ValueError(f"unknown scheduled job {name!r}")
    run_job(job)
