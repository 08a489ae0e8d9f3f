""" "My bookings" serves its tables from the cache until something they show changes: a
booking of a car of the association (the trigger's version), the cars the member manages,
the fuel receipts waiting for them, or the clock (an upcoming booking that ends moves to
the past). The waiting lists, with their forms, are read each time."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from bookings.models import Booking, FuelReceipt, Trip, WaitingEntry
from tests.factories.bookings import BookingFactory
from tests.factories.vehicles import owned_vehicle
from vehicles.models import VehicleOwnership

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=PARIS)
MINE = "/testville/bookings/"
# The page is in French (the default language).
UPCOMING, PAST, APPROVALS = "À venir", "Passées et annulées", "En attente de votre accord"


@pytest.fixture
def traveller():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def clio(admin):
    return owned_vehicle(admin, name="Clio")


def mine(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(MINE)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def main(html: str) -> str:
    return html.split('<main id="main"')[1].split("</main>")[0]


def section(html: str, caption: str) -> str:
    """The table whose caption is `caption`."""
    return html.split(f"<caption>{caption}</caption>")[1].split("</table>")[0]


def _slot(*, days: int, hours: int = 2) -> dict:
    start = NOW + dt.timedelta(days=days, hours=2)
    end = start + dt.timedelta(hours=hours)
    return {"start": start, "end": end, "blocks_until": end}


def test_cached_tables_never_hide_a_new_moved_or_cancelled_booking(
    traveller, member_client, member, clio
):
    first, cold = mine(member_client)
    again, warm = mine(member_client)
    assert main(again) == main(first)
    assert warm < cold  # the tables come from the cache: no query of the bookings

    # Written behind the services' back: the trigger still bumps the car's version.
    Booking.objects.bulk_create([Booking(vehicle=clio, driver=member, **_slot(days=1))])
    html, _ = mine(member_client)
    assert "24/11 10:00 – " in section(html, UPCOMING)

    later = dt.timedelta(hours=3)
    Booking.objects.filter(driver=member).update(
        start=F("start") + later, end=F("end") + later, blocks_until=F("blocks_until") + later
    )
    html, _ = mine(member_client)
    assert "24/11 13:00 – " in section(html, UPCOMING)
    assert "24/11 10:00" not in html

    Booking.objects.filter(driver=member).update(status=Booking.Status.CANCELLED)
    html, _ = mine(member_client)
    assert "24/11 13:00" not in section(html, UPCOMING)
    assert "24/11 13:00 – " in section(html, PAST)


def test_an_upcoming_booking_moves_to_the_past_when_it_ends(traveller, member_client, member, clio):
    BookingFactory(vehicle=clio, driver=member, **_slot(days=0, hours=1))  # 10:00–11:00 today
    html, _ = mine(member_client)
    assert "23/11 10:00 – " in section(html, UPCOMING)
    traveller.shift(dt.timedelta(hours=2, minutes=59))  # 10:59: not over yet, cached
    html, _ = mine(member_client)
    assert "23/11 10:00 – " in section(html, UPCOMING)
    traveller.shift(dt.timedelta(minutes=2))  # 11:01: over, nothing was written
    html, _ = mine(member_client)
    assert "23/11 10:00 – " not in section(html, UPCOMING)
    assert "23/11 10:00 – " in section(html, PAST)


def test_a_new_owner_sees_the_requests_and_receipts_of_the_car(
    traveller, member_client, member, admin, clio
):
    other = BookingFactory(
        vehicle=clio, driver=admin, status=Booking.Status.REQUESTED, **_slot(days=2)
    )
    html, _ = mine(member_client)
    assert APPROVALS not in html
    VehicleOwnership.objects.create(vehicle=clio, owner=member, share=1)  # no booking written
    html, _ = mine(member_client)
    assert APPROVALS in html
    assert f'href="/testville/bookings/{other.pk}/"' in html

    other.status = Booking.Status.COMPLETED
    other.save()
    trip = Trip.objects.create(
        booking=other, odometer_out=1000, fuel_level_out=50, checked_out_at=other.start
    )
    html, _ = mine(member_client)
    assert "ticket de carburant" not in html
    receipt = FuelReceipt.objects.create(trip=trip, amount="30.00", date=other.start.date())
    html, _ = mine(member_client)
    assert "Un ticket de carburant attend votre accord." in html
    FuelReceipt.objects.filter(pk=receipt.pk).update(status=FuelReceipt.Status.APPROVED)
    html, _ = mine(member_client)
    assert "ticket de carburant" not in html


def test_the_waiting_lists_are_read_each_time(traveller, member_client, member, clio):
    mine(member_client)
    start = NOW + dt.timedelta(days=3)
    WaitingEntry.objects.create(
        vehicle=clio, member=member, start=start, end=start + dt.timedelta(hours=2)
    )
    html, _ = mine(member_client)
    assert 'id="waiting-title"' in html and "csrfmiddlewaretoken" in html


def test_each_member_sees_their_own_bookings(
    traveller, member_client, admin_client_, member, admin, clio
):
    mine(member_client)
    mine(admin_client_)
    BookingFactory(vehicle=clio, driver=member, **_slot(days=1))
    member_html, _ = mine(member_client)
    admin_html, _ = mine(admin_client_)
    assert "24/11 10:00 – " in section(member_html, UPCOMING)
    assert "24/11 10:00 – " not in section(admin_html, UPCOMING)


def test_the_cached_page_runs_the_same_queries_with_few_and_many_bookings(
    traveller, member_client, member, admin
):
    vehicles = [owned_vehicle(admin, name=f"Car {i}") for i in range(5)]
    counts = []
    for count in (5, 200):
        Booking.objects.all().delete()
        Booking.objects.bulk_create(
            Booking(vehicle=vehicles[i % 5], driver=member, **_slot(days=i // 5 - 20))
            for i in range(count)
        )
        mine(member_client)  # fills the cache
        counts.append(mine(member_client)[1])
    assert counts[0] == counts[1]
