"""Project-level tasks."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="carshare.ping", ignore_result=False)
def ping() -> str:
    """Proves the broker round trip (web → broker → worker → result)."""
    return "pong"
