"""Project-level tasks."""

from __future__ import annotations

from celery import shared_task

from members.notifications.runs import get_job, run_job


@shared_task(name="carshare.ping", ignore_result=False)
def ping() -> str:
    """Proves the broker round trip (web → broker → worker → result)."""
    return "pong"


@shared_task(name="carshare.run_scan", ignore_result=True)
def run_scan(name: str) -> None:
    """One scheduled job by name (the beat schedule names them); recorded for the admin page."""
    job = get_job(name)
    if job is None:
        raise ValueError(f"unknown scheduled job {name!r}")
    run_job(job)
