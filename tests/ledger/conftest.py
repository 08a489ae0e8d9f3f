import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

PARIS = ZoneInfo("Europe/Paris")


def at(year, month, day, hour=0, minute=0):
    """An aware datetime in Paris."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def frozen_today():
    """Time frozen on 2026-11-26 at noon in Paris (a Thursday)."""
    with time_machine.travel(at(2026, 11, 26, 12), tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The factories set a password on every user; the default hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
