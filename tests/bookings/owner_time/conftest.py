"""Camille owns the Clio and keeps it on weekday mornings, 07:30–09:00 (Europe/Paris)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bookings.services.owner_time import Block, block_period
from tests.bookings.helpers import shared_vehicle
from tests.factories.members import DriverProfileFactory, MembershipFactory

PARIS = ZoneInfo("Europe/Paris")
# A Thursday; the clocks go forward on Sunday 28 March 2027.
NOW = dt.datetime(2027, 3, 18, 10, 0, tzinfo=PARIS)
WORKING_DAYS = 0b0011111


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2027, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def camille(association):
    membership = MembershipFactory(association=association, user__first_name="Camille")
    DriverProfileFactory(user=membership.user)
    return membership


@pytest.fixture
def clio(camille, member, admin):
    return shared_vehicle(camille, member, admin, name="Clio")


@pytest.fixture
def mornings(camille, clio):
    """Weekdays 07:30–09:00 from Friday 19 March 2027, for ever."""
    return block_period(
        actor=camille,
        vehicle=clio,
        block=Block(at(19, 7, 30), at(19, 9), "Trajet travail", WORKING_DAYS),
    )
