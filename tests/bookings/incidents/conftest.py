"""The cast of the incident tests: a driver with a completed trip on camille's Clio
(tests/bookings/conftest.py), the association's admin."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bookings.models import Booking
from tests.factories.bookings import TripFactory

PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def driver(member):
    return member


@pytest.fixture
def trip(clio, driver):
    return TripFactory(
        booking__vehicle=clio,
        booking__driver=driver,
        booking__start=NOW - dt.timedelta(days=2),
        booking__status=Booking.Status.COMPLETED,
    )
