"""The planning, availability and my bookings run the same number of queries with 10 and
with 1,000 bookings in range."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import Booking
from tests.factories.vehicles import owned_vehicle

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 23, 0, 0, tzinfo=PARIS)  # a Monday


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def make_bookings(vehicles, member, count):
    """`count` one-hour bookings of `member` spread over the vehicles during the week."""
    rows = []
    for index in range(count):
        vehicle = vehicles[index % len(vehicles)]
        start = NOW + dt.timedelta(hours=index // len(vehicles), minutes=10)
        end = start + dt.timedelta(minutes=50)
        rows.append(
            Booking(
                vehicle=vehicle,
                driver=member,
                start=start,
                end=end,
                blocks_until=end,
                status=Booking.Status.CONFIRMED,
            )
        )
    Booking.objects.bulk_create(rows)


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize(
    "url",
    [
        "/testville/planning/",
        "/testville/availability/?start=2026-11-23T00:00&end=2026-11-30T00:00&seats=2",
        "/testville/bookings/",
    ],
)
def test_same_queries_with_10_and_1000_bookings(member_client, member, admin, url):
    vehicles = [owned_vehicle(admin) for _ in range(10)]
    make_bookings(vehicles, member, 10)
    few = queries(member_client, url)
    Booking.objects.all().delete()
    make_bookings(vehicles, member, 1000)
    assert Booking.objects.count() == 1000
    many = queries(member_client, url)
    assert few == many, (few, many)
