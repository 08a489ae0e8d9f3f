"""The planning is served from the cache until a booking or an owner's kept period of one of
its vehicles is written, however it is written: the version that keys the cache is bumped
by database triggers."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from bookings.models import Booking, Unavailability, VehicleBookingsVersion
from bookings.services.owner_time import Block, block_period, unblock_period
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


def test_every_write_of_a_kept_period_bumps_the_vehicle_version(clio, admin):
    other = owned_vehicle(admin, name="Zoé")
    slot = _slot(days=1)
    rule = Unavailability.objects.create(
        vehicle=clio, created_by=admin, start=slot["start"], end=slot["end"]
    )
    assert version(clio) == 1  # INSERT
    Unavailability.objects.filter(pk=rule.pk).update(reason="Garage")  # UPDATE, no save()
    assert version(clio) == 2
    Unavailability.objects.filter(pk=rule.pk).update(vehicle=other)  # moved: both cars
    assert (version(clio), version(other)) == (3, 1)
    Unavailability.objects.filter(pk=rule.pk).delete()  # DELETE
    assert version(other) == 2


TUESDAY_QUARTER = "start=2026-11-24T06:00&amp;end=2026-11-24T12:00"  # the free 06:00–12:00


def test_a_cached_planning_shows_a_kept_period_at_once_and_drops_it_when_given_back(
    member_client, admin, clio
):
    first, cold = planning(member_client)
    again, warm = planning(member_client)
    assert main(again) == main(first) and warm < cold  # served from the cache
    assert "block--kept gs" not in first and TUESDAY_QUARTER in first

    slot = _slot(days=1)  # Tuesday 10:00–12:00
    rule = block_period(
        actor=admin, vehicle=clio, block=Block(slot["start"], slot["end"], "Garage")
    )
    html, _ = planning(member_client)
    assert "block--kept gs" in html and "Garage" in html
    assert TUESDAY_QUARTER not in html  # no free slot inside the owner's time

    unblock_period(actor=admin, rule=rule)
    html, _ = planning(member_client)
    assert "block--kept gs" not in html and "Garage" not in html
    assert TUESDAY_QUARTER in html


def test_the_phone_agenda_shows_the_kept_period_of_its_day(member_client, admin, clio):
    planning(member_client)  # cached before the period is kept
    slot = _slot(days=0)  # today, Monday 10:00–12:00
    block_period(actor=admin, vehicle=clio, block=Block(slot["start"], slot["end"], "Garage"))
    html, _ = planning(member_client)
    agenda = html.split('<section class="agenda"')[1]
    assert "10:00–12:00 · Garage" in agenda
    assert "badge--kept" in agenda
