"""Helpers of the notification tests: Paris wall-clock times and the outbox's contents."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from members.models import Notification

PARIS = ZoneInfo("Europe/Paris")


def paris(*args: int) -> dt.datetime:
    """An aware datetime at a wall-clock time in Paris (fold=0 on a repeated hour)."""
    return dt.datetime(*args, tzinfo=PARIS)


def keys_of(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("key", flat=True))


@pytest.fixture
def at(time_machine):
    """`at(moment)` freezes the clock at an aware datetime."""

    def travel(moment: dt.datetime) -> None:
        time_machine.move_to(moment, tick=False)

    return travel
