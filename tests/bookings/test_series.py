"""Repeated bookings: POST /api/v1/associations/{slug}/bookings/series/, the page, and the
cancellation of the rest of a series."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bookings.models import Booking
from bookings.services.series import cancel_rest_of_series, occurrences
from tests.bookings.helpers import shared_vehicle
from tests.factories.bookings import BookingFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)
URL = "/api/v1/associations/testville/bookings/series/"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clio(admin, member):
    return shared_vehicle(admin, member, name="Clio")


def weekly(clio, count=6):
    return {
        "vehicle": clio.pk,
        "start": "2026-12-05T08:00:00+01:00",  # a Saturday: the market
        "end": "2026-12-05T12:00:00+01:00",
        "every": "week",
        "count": count,
        "note": "Marché",
    }


def test_a_weekly_series_books_each_free_date_and_says_which_was_refused_and_why(
    api, clio, admin, member
):
    taken = BookingFactory(
        vehicle=clio, driver=admin, start=dt.datetime(2026, 12, 19, 9, tzinfo=PARIS)
    )
    response = api.post(URL, weekly(clio), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert len(body["created"]) == 5
    assert body["refused"] == [
        {
            "start": "2026-12-19T08:00:00+01:00",
            "end": "2026-12-19T12:00:00+01:00",
            "code": "overlap",
            "detail": body["refused"][0]["detail"],
        }
    ]
    bookings = Booking.objects.filter(series_id=body["series"]).order_by("start")
    assert [b.pk for b in bookings] == [b["id"] for b in body["created"]]
    assert all(b.driver == member and b.note == "Marché" for b in bookings)
    assert taken.pk not in [b.pk for b in bookings]


def test_a_series_keeps_its_wall_clock_time_across_the_daylight_saving_change(clio):
    start = dt.datetime(2027, 3, 20, 8, tzinfo=PARIS)  # the night of the 27th–28th changes
    slots = occurrences(start, start + dt.timedelta(hours=2), "week", 3, clio)
    assert [s.astimezone(PARIS).hour for s, _e in slots] == [8, 8, 8]
    assert slots[2][0].utcoffset() == dt.timedelta(hours=2)


@pytest.mark.parametrize(
    "change",
    [{"count": 27}, {"count": 0}, {"every": "month"}, {"start": "never"}, {"vehicle": None}],
)
def test_a_bad_series_answers_400_and_books_nothing(api, clio, change):
    response = api.post(URL, {**weekly(clio), **change}, format="json")
    assert response.status_code == 400
    assert not Booking.objects.exists()


def test_the_page_lists_the_refused_date_with_its_reason(member_client, clio, admin):
    BookingFactory(vehicle=clio, driver=admin, start=dt.datetime(2026, 12, 19, 9, tzinfo=PARIS))
    response = member_client.post(
        "/testville/bookings/series/new/",
        {
            "vehicle": clio.pk,
            "start": "2026-12-05T08:00",
            "end": "2026-12-05T12:00",
            "every": "week",
            "count": "6",
            "note": "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "5 réservations faites" in html and "1 date refusée" in html
    assert "samedi 19 décembre 08:00–12:00" in html and "déjà réservé" in html


def test_cancelling_the_rest_of_a_series_keeps_the_earlier_dates(api, clio, member):
    body = api.post(URL, weekly(clio, count=4), format="json").json()
    third = Booking.objects.get(pk=body["created"][2]["id"])
    cancelled = cancel_rest_of_series(actor=member, booking=third)
    assert len(cancelled) == 2
    statuses = list(
        Booking.objects.filter(series_id=body["series"])
        .order_by("start")
        .values_list("status", flat=True)
    )
    assert statuses == ["confirmed", "confirmed", "cancelled", "cancelled"]


def test_the_api_cancels_one_occurrence_or_the_rest_of_the_series(api, clio):
    body = api.post(URL, weekly(clio, count=4), format="json").json()
    first, second = body["created"][0]["id"], body["created"][1]["id"]
    bookings = "/api/v1/associations/testville/bookings"
    one = api.post(f"{bookings}/{first}/cancel/", {"reason": "malade"}, format="json")
    assert (one.status_code, one.json()["status"]) == (200, "cancelled")
    rest = api.post(f"{bookings}/{second}/cancel-series/", {}, format="json")
    assert rest.status_code == 200
    assert [b["id"] for b in rest.json()["cancelled"]] == [b["id"] for b in body["created"][1:]]
    assert not Booking.objects.filter(series_id=body["series"], status="confirmed").exists()


def test_cancel_series_on_a_single_booking_is_a_400_not_a_series(api, clio, member):
    single = BookingFactory(
        vehicle=clio, driver=member, start=dt.datetime(2026, 12, 9, 9, tzinfo=PARIS)
    )
    response = api.post(
        f"/api/v1/associations/testville/bookings/{single.pk}/cancel-series/", {}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (400, "not_a_series")
    single.refresh_from_db()
    assert single.status == "confirmed"
