"""The cast of the incident tests: an owner's Clio (deductible 500 €), a driver with a
completed trip on it, the association's admin."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bookings.models import Booking
from tests.factories.bookings import TripFactory
from tests.factories.ledger import tariffed_vehicle
from tests.factories.members import DriverProfileFactory, MembershipFactory

PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def owner(association):
    membership = MembershipFactory(association=association, user__first_name="Camille")
    DriverProfileFactory(user=membership.user)
    return membership


@pytest.fixture
def driver(member):
    return member


@pytest.fixture
def clio(association, owner):
    return tariffed_vehicle(association, owners=[(owner, 100)], name="Clio")


@pytest.fixture
def trip(clio, driver):
    return TripFactory(
        booking__vehicle=clio,
        booking__driver=driver,
        booking__start=NOW - dt.timedelta(days=2),
        booking__status=Booking.Status.COMPLETED,
    )
