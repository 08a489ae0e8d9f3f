"""Helpers of the notification and scan tests: Paris wall-clock times, the outbox's keys."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from members.models import Notification

PARIS = ZoneInfo("Europe/Paris")


def paris(*args: int, fold: int = 0) -> dt.datetime:
    """An aware datetime at a wall-clock time in Paris; on the repeated hour of an autumn
    night, fold=0 is the first pass (summer time) and fold=1 the second."""
    return dt.datetime(*args, tzinfo=PARIS, fold=fold)


def keys_of(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("key", flat=True))
