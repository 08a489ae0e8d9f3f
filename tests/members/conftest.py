"""Fixtures of the members tests."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def at(time_machine):
    """`at(moment)` freezes the clock at an aware datetime."""

    def travel(moment: dt.datetime) -> None:
        time_machine.move_to(moment, tick=False)

    return travel
