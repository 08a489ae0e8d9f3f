import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from icalendar import Calendar

from bookings.services.feeds import get_or_create_feed
from tests.factories.bookings import BookingFactory
from tests.factories.vehicles import owned_vehicle

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(("day", "hours"), [(dt.date(2027, 3, 28), 2), (dt.date(2026, 10, 25), 4)])
def test_dst_booking_keeps_wall_clock_times_in_the_feed(member, admin, day, hours):
    vehicle = owned_vehicle(admin)
    start = dt.datetime.combine(day, dt.time(1), tzinfo=PARIS)
    end = dt.datetime.combine(day, dt.time(4), tzinfo=PARIS)
    BookingFactory(vehicle=vehicle, driver=member, start=start, end=end)
    token = get_or_create_feed(actor=member).token
    with time_machine.travel(dt.datetime(2026, 10, 1, tzinfo=PARIS), tick=False):
        response = Client().get(f"/feeds/member/{token}.ics")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert f"DTSTART;TZID=Europe/Paris:{day:%Y%m%d}T010000" in body
    assert f"DTEND;TZID=Europe/Paris:{day:%Y%m%d}T040000" in body
    assert "BEGIN:VTIMEZONE" in body
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    duration = event.decoded("dtend") - event.decoded("dtstart")
    real = event.decoded("dtend").astimezone(dt.UTC) - event.decoded("dtstart").astimezone(dt.UTC)
    assert real == dt.timedelta(hours=hours), duration


def test_vehicle_feed_is_for_managers_only(member, admin):
    vehicle = owned_vehicle(admin)
    token = get_or_create_feed(actor=admin, vehicle=vehicle).token
    assert Client().get(f"/feeds/vehicle/{token}.ics").status_code == 200
    vehicle.ownerships.all().delete()
    admin.role = "member"
    admin.save()
    assert Client().get(f"/feeds/vehicle/{token}.ics").status_code == 404
    assert Client().get("/feeds/vehicle/not-a-token.ics").status_code == 404
