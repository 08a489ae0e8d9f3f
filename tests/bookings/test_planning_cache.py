"""The planning is served from the cache until a booking of one of its vehicles is written,
however it is written: the version that keys the cache is bumped by a database trigger."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from bookings.models import Booking, VehicleBookingsVersion
from tests.factories.bookings import BookingFactory
from tests.factories.vehicles import owned_vehicle

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=PARIS)  # a Monday
PLANNING = "/testville/planning/"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clio(admin):
    return owned_vehicle(admin, name="Clio")


def version(vehicle) -> int:
    row = VehicleBookingsVersion.objects.filter(vehicle=vehicle).first()
    return row.version if row else 0


def planning(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PLANNING)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def main(html: str) -> str:
    return html.split('<main id="main"')[1].split("</main>")[0]


def test_every_kind_of_booking_write_bumps_the_vehicle_version(clio, admin, member):
    other = owned_vehicle(admin, name="Zoé")
    booking = BookingFactory(vehicle=clio, driver=member)  # INSERT
    assert version(clio) == 1
    Booking.objects.filter(pk=booking.pk).update(note="bulk update")  # UPDATE, no save()
    assert version(clio) == 2
    Booking.objects.filter(pk=booking.pk).update(vehicle=other)  # moved: both cars
    assert (version(clio), version(other)) == (3, 1)
    Booking.objects.bulk_create([Booking(vehicle=clio, driver=member, **_slot(days=2))])
    assert version(clio) == 4
    Booking.objects.filter(vehicle=other).delete()  # DELETE
    assert version(other) == 2


def _slot(*, days: int) -> dict:
    start = NOW + dt.timedelta(days=days, hours=2)
    end = start + dt.timedelta(hours=2)
    return {"start": start, "end": end, "blocks_until": end}


def _short(index: int) -> dict:
    start = NOW + dt.timedelta(hours=2, minutes=30 * index)
    end = start + dt.timedelta(minutes=20)
    return {"start": start, "end": end, "blocks_until": end}


def test_a_cached_planning_never_hides_a_new_moved_or_cancelled_booking(
    member_client, member, clio
):
    first, cold = planning(member_client)
    again, warm = planning(member_client)
    assert main(again) == main(first)
    assert warm < cold  # served from the cache: no query of the bookings

    # Written behind the services' back: the trigger still bumps the version.
    Booking.objects.bulk_create([Booking(vehicle=clio, driver=member, **_slot(days=1))])
    html, _ = planning(member_client)
    assert "24/11 10:00–" in html  # the block's title: Tuesday 10:00 to 12:00

    later = dt.timedelta(hours=3)
    Booking.objects.filter(driver=member).update(
        start=F("start") + later, end=F("end") + later, blocks_until=F("blocks_until") + later
    )
    html, _ = planning(member_client)
    assert "24/11 13:00–" in html and "24/11 10:00–" not in html

    Booking.objects.filter(driver=member).update(status=Booking.Status.CANCELLED)
    html, _ = planning(member_client)
    assert "24/11 13:00–" not in html


def test_the_cached_planning_runs_the_same_queries_with_few_and_many_bookings(
    member_client, member, admin
):
    vehicles = [owned_vehicle(admin, name=f"Car {i}") for i in range(5)]
    for count in (5, 200):
        Booking.objects.all().delete()
        Booking.objects.bulk_create(  # 40 half-hour bookings a car at most, none overlapping
            Booking(vehicle=vehicles[i % 5], driver=member, **_short(i // 5)) for i in range(count)
        )
        planning(member_client)  # fills the cache
        _, cached = planning(member_client)
        if count == 5:
            few = cached
    assert cached == few


def test_each_viewer_sees_links_to_the_bookings_they_may_open_only(
    member_client, admin_client_, member, admin, clio
):
    booking = BookingFactory(vehicle=clio, driver=admin, **_slot(days=1))
    link = f'href="/testville/bookings/{booking.pk}/"'
    member_html, _ = planning(member_client)
    admin_html, _ = planning(admin_client_)
    assert link not in member_html  # shown, but not a link, to another member
    assert link in admin_html
    assert "24/11 10:00–" in member_html
