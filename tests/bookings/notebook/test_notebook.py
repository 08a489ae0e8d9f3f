"""The car's notebook and the owner's month: contents, and queries that do not grow with
the number of trips, incidents and photos (asserted)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.models import Booking, FuelReceipt, Incident, IncidentPhoto, Trip, TripPhoto
from bookings.selectors.notebook import month_of_cars, notebook
from bookings.services.charges import post_trip
from tests.factories.bookings import BookingFactory
from tests.factories.ledger import tariffed_vehicle
from tests.factories.vehicles import MaintenanceEventFactory, png_upload

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2027, 3, 18, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def trip(vehicle, driver, day, km, odometer, *, photos=1, receipt=None):
    start = dt.datetime(2027, 3, day, 9, tzinfo=PARIS)
    booking = BookingFactory(
        vehicle=vehicle, driver=driver, start=start, status=Booking.Status.COMPLETED
    )
    made = Trip.objects.create(
        booking=booking,
        odometer_out=odometer,
        odometer_in=odometer + km,
        fuel_level_out=80,
        fuel_level_in=60,
        checked_out_at=start,
        checked_in_at=start + dt.timedelta(hours=3),
    )
    for _ in range(photos):
        TripPhoto.objects.create(trip=made, stage="in", file=png_upload())
    if receipt:
        FuelReceipt.objects.create(
            trip=made,
            amount=Decimal(receipt),
            date=start.date(),
            status=FuelReceipt.Status.APPROVED,
        )
    post_trip(actor=made.booking.driver, trip=made)
    return made


def incident(vehicle, reporter, day, photos=2):
    made = Incident.objects.create(
        vehicle=vehicle,
        kind=Incident.Kind.SCRATCH,
        description="Rayure",
        reported_by=reporter,
        occurred_at=dt.datetime(2027, 3, day, 18, tzinfo=PARIS),
    )
    for _ in range(photos):
        IncidentPhoto.objects.create(incident=made, file=png_upload())
    return made


def fill(vehicle, driver, owner, count):
    for index in range(count):
        trip(vehicle, driver, 1 + index, 40, 10_000 + 100 * index)
        incident(vehicle, owner, 1 + index)
        MaintenanceEventFactory(vehicle=vehicle, date=dt.date(2027, 2, 1 + index))


def test_the_notebook_shows_the_car_at_a_glance_and_its_timeline(clio, owner, member):
    trip(clio, member, 10, 46, 41_200, receipt="30.00")
    trip(clio, member, 12, 20, 41_246)
    incident(clio, owner, 11)
    MaintenanceEventFactory(vehicle=clio, date=dt.date(2027, 3, 1))
    book = notebook(clio)
    assert book.condition.odometer == 41_266 and book.condition.fuel_level == 60
    assert book.condition.open_incidents == 1 and book.condition.last_driver
    assert [entry.kind for entry in book.timeline] == ["trip", "incident", "trip", "maintenance"]
    assert len(book.photos) == 4 and book.photos[0].kind == "incident"


def test_the_month_of_a_car_for_its_owner(clio, owner, member):
    trip(clio, member, 10, 46, 41_200, receipt="30.00")
    trip(clio, member, 12, 20, 41_246)
    incident(clio, owner, 11)
    BookingFactory(vehicle=clio, driver=member, start=NOW + dt.timedelta(days=2))
    (car,) = month_of_cars([clio], owner, 2027, 3, NOW)
    assert car.trip_count == 2 and car.km == 66
    assert car.fuel_receipts == Decimal("30.00")
    # 66 km at 0.30 €/km credited, the 30 € fuel receipt refunded by the owner
    assert car.received == Decimal("66") * Decimal("0.30") - Decimal("30.00")
    assert len(car.incidents) == 1 and len(car.upcoming) == 1
    (whole_side,) = month_of_cars([clio], None, 2027, 3, NOW)
    assert whole_side.received == car.received


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_notebook_s_queries_do_not_grow_with_its_history(clio, owner, member):
    client = Client()
    client.force_login(owner.user)
    url = reverse("bookings:notebook", kwargs={"slug": "testville", "vehicle_id": clio.pk})
    fill(clio, member, owner, 2)
    few = _queries(client, url)
    fill(clio, member, owner, 10)
    many = _queries(client, url)
    assert few == many, (few, many)
    assert many <= 20
    print(f"\nnotebook page: {many} queries with 2 or 12 trips, incidents and maintenance")


def test_the_owner_month_page_s_queries_do_not_grow_with_cars_and_trips(association, owner, member):
    client = Client()
    client.force_login(owner.user)
    url = reverse("bookings:owner_month", kwargs={"slug": "testville"}) + "?month=2027-03"
    first = tariffed_vehicle(association, owners=[(owner, 100)], name="Clio")
    fill(first, member, owner, 2)
    few = _queries(client, url)
    second = tariffed_vehicle(association, owners=[(owner, 100)], name="Twingo")
    fill(second, member, owner, 8)
    assert _queries(client, url) == few
    print(f"\nowner month page: {few} queries with 1 or 2 cars")


def test_the_notebook_is_for_owners_and_admins(clio, member, admin, outsider):
    url = reverse("bookings:notebook", kwargs={"slug": "testville", "vehicle_id": clio.pk})
    for who, status in ((member, 403), (admin, 200), (outsider, 404)):
        client = Client()
        client.force_login(who.user)
        assert client.get(url).status_code == status


def test_the_notebook_links_photos_the_owner_may_open(clio, owner, member):
    made = trip(clio, member, 10, 46, 41_200)
    scratch = incident(clio, member, 11, photos=1)
    client = Client()
    client.force_login(owner.user)
    html = client.get(
        reverse("bookings:notebook", kwargs={"slug": "testville", "vehicle_id": clio.pk})
    ).content.decode()
    photo_urls = [
        reverse(
            "bookings:incident_photo",
            kwargs={"slug": "testville", "pk": scratch.pk, "photo_id": scratch.photos.get().pk},
        ),
        reverse(
            "bookings:trip_photo",
            kwargs={"slug": "testville", "pk": made.booking_id, "photo_id": made.photos.get().pk},
        ),
    ]
    for url in photo_urls:
        assert url in html
        assert client.get(url).status_code == 200


def test_the_home_page_shows_an_owner_their_cars_and_open_incidents(clio, owner, member):
    incident(clio, member, 11)
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(owner.user)
    html = client.get(reverse("members:home", kwargs={"slug": "testville"})).content.decode()
    assert reverse("bookings:notebook", kwargs={"slug": "testville", "vehicle_id": clio.pk}) in html
    assert "1 incident en cours" in html
    other = Client()
    other.force_login(member.user)
    member_home = other.get(reverse("members:home", kwargs={"slug": "testville"}))
    assert "/notebook/" not in member_home.content.decode()
