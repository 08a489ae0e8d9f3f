""" "I'll be late": only for a trip under way, re-checked like a new booking, capped."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bookings.models import Booking
from tests.bookings.helpers import shared_vehicle
from tests.factories.bookings import BookingFactory
from tests.security.helpers import trip_under_way

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def vehicle(admin, member):
    return shared_vehicle(admin, member)


def report(client, booking, new_end):
    return client.post(
        f"/testville/bookings/{booking.pk}/late/",
        {"new_end": new_end},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="fr",
    )


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_a_late_report_before_the_trip_started_changes_nothing(member_client, member, vehicle):
    booking = BookingFactory(
        vehicle=vehicle,
        driver=member,
        start=NOW + dt.timedelta(days=1),
        end=NOW + dt.timedelta(days=1, hours=2),
    )
    response = report(member_client, booking, "2026-11-27T16:00")
    booking.refresh_from_db()
    assert booking.end == NOW + dt.timedelta(days=1, hours=2)
    assert any("trajet" in message for message in messages_of(response)), messages_of(response)


def test_a_late_report_to_2099_changes_nothing(member_client, member, vehicle):
    booking = trip_under_way(vehicle, member, NOW - dt.timedelta(hours=1))
    booked_end = booking.end
    response = report(member_client, booking, "2099-12-31T23:00")
    booking.refresh_from_db()
    assert booking.end == booked_end
    assert any("24" in message for message in messages_of(response)), messages_of(response)
    # a report within the cap extends the trip
    report(member_client, booking, "2026-11-26T17:00")
    booking.refresh_from_db()
    assert booking.end == dt.datetime(2026, 11, 26, 17, tzinfo=PARIS)
    assert booking.status == Booking.Status.IN_PROGRESS


def test_a_late_report_is_rechecked_like_a_new_booking(member_client, member, vehicle):
    vehicle.max_booking_hours = 4
    vehicle.save()
    booking = trip_under_way(vehicle, member, NOW - dt.timedelta(hours=1))
    response = report(member_client, booking, "2026-11-26T18:00")  # 7 hours in all
    booking.refresh_from_db()
    assert booking.end == NOW + dt.timedelta(hours=2)
    assert any("4" in message for message in messages_of(response)), messages_of(response)


def test_nobody_but_the_driver_reports_a_late_return(
    client, member, vehicle, association, outsider
):
    from members.models import Membership
    from tests.factories.members import MembershipFactory

    booking = trip_under_way(vehicle, member, NOW - dt.timedelta(hours=1))
    booked_end = booking.end
    neighbour = MembershipFactory(association=association)
    other_admin = MembershipFactory(association=outsider.association, role=Membership.Role.ADMIN)
    for who, status in ((neighbour, 403), (other_admin, 404)):
        client.force_login(who.user)
        answer = client.post(
            f"/testville/bookings/{booking.pk}/late/", {"new_end": "2026-11-26T17:00"}
        )
        assert answer.status_code == status, (who, answer.status_code)
    client.logout()
    answer = client.post(f"/testville/bookings/{booking.pk}/late/", {"new_end": "2026-11-26T17:00"})
    assert answer.status_code == 302 and "/accounts/login/" in answer.url
    booking.refresh_from_db()
    assert booking.end == booked_end
