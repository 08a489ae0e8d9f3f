import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from bookings.models import Booking, Trip
from tests.bookings.helpers import shared_vehicle
from tests.bookings.logbook_helpers import logbook_page, trip
from tests.factories.bookings import BookingFactory
from tests.factories.vehicles import owned_vehicle

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def vehicle(admin, member):
    return shared_vehicle(admin, member, name="Clio")


def url(name, **kwargs):
    return reverse(f"bookings:{name}", kwargs={"slug": "testville", **kwargs})


def test_planning_shows_bookings_and_free_slots(member_client, member, vehicle):
    BookingFactory(
        vehicle=vehicle,
        driver=member,
        start=dt.datetime(2026, 11, 27, 9, tzinfo=PARIS),
        end=dt.datetime(2026, 11, 27, 12, tzinfo=PARIS),
    )
    response = member_client.get(url("planning"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "27/11 09:00–" in html  # the week's block (its title)
    assert "block--confirmed" in html
    assert f"?vehicle={vehicle.pk}&amp;start=2026-11-26T10:00" in html
    agenda = member_client.get(url("planning") + "?date=2026-11-27").content.decode()
    assert "09:00–12:00 · " in agenda  # the phone's agenda of that day


def test_booking_from_the_form_redirects_to_the_booking(member_client, member, vehicle):
    response = member_client.post(
        url("create"),
        {"vehicle": vehicle.pk, "start": "2026-12-01T09:00", "end": "2026-12-01T12:00"},
    )
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", pk=booking.pk)
    assert booking.start == dt.datetime(2026, 12, 1, 9, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": "2026-12-01T12:00", "end": "2026-12-01T09:00"}, "après le début"),
        ({"start": "2026-11-20T12:00", "end": "2026-11-20T14:00"}, "passé"),
        ({"start": "9999-12-31T23:59", "end": "9999-12-31T23:59"}, "2000"),
        ({"start": "nonsense", "end": ""}, "Saisissez"),
    ],
)
def test_bad_slots_are_form_errors_not_500(member_client, vehicle, data, message):
    response = member_client.post(
        url("create"), {"vehicle": vehicle.pk, **data}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Booking.objects.exists()


def test_overlap_is_a_form_error(member_client, admin, vehicle):
    BookingFactory(
        vehicle=vehicle,
        driver=admin,
        start=dt.datetime(2026, 12, 1, 9, tzinfo=PARIS),
        end=dt.datetime(2026, 12, 1, 12, tzinfo=PARIS),
    )
    response = member_client.post(
        url("create"),
        {"vehicle": vehicle.pk, "start": "2026-12-01T10:00", "end": "2026-12-01T11:00"},
    )
    assert response.status_code == 200
    assert "déjà réservé" in response.content.decode()


def test_unknown_or_foreign_vehicle_is_404_or_a_form_error(member_client, outsider):
    foreign = owned_vehicle(outsider)
    assert member_client.get(url("create") + f"?vehicle={foreign.pk}").status_code == 404
    assert member_client.get(url("vehicle_calendar", vehicle_id=foreign.pk)).status_code == 404
    response = member_client.post(
        url("create"),
        {"vehicle": foreign.pk, "start": "2026-12-01T09:00", "end": "2026-12-01T12:00"},
    )
    assert response.status_code == 200 and not Booking.objects.exists()


def test_a_booking_of_another_association_is_404(member_client, outsider):
    foreign = BookingFactory(vehicle=owned_vehicle(outsider), driver=outsider)
    assert member_client.get(url("detail", pk=foreign.pk)).status_code == 404


def test_another_members_booking_is_403(member_client, admin, vehicle):
    booking = BookingFactory(vehicle=vehicle, driver=admin)
    assert member_client.get(url("detail", pk=booking.pk)).status_code == 403


def checked_out(member, vehicle, odometer=12_000):
    booking = BookingFactory(
        vehicle=vehicle,
        driver=member,
        start=NOW - dt.timedelta(hours=2),
        end=NOW + dt.timedelta(hours=2),
        status=Booking.Status.IN_PROGRESS,
    )
    Trip.objects.create(
        booking=booking, odometer_out=odometer, fuel_level_out=50, checked_out_at=booking.start
    )
    return booking


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"odometer": "-5", "fuel_level": "50"}, "supérieure ou égale à 0"),
        ({"odometer": "11000", "fuel_level": "50"}, "inférieur"),
        (
            {"odometer": "12100", "fuel_level": "50", "receipts-0-amount": "-5"},
            "supérieure ou égale à 0",
        ),
    ],
)
def test_bad_check_in_input_is_a_form_error(member_client, member, vehicle, data, message):
    booking = checked_out(member, vehicle)
    form = {
        "parked_at": "Mairie",
        "receipts-TOTAL_FORMS": "2",
        "receipts-INITIAL_FORMS": "0",
        "receipts-0-date": "2026-11-26",
        **data,
    }
    response = member_client.post(url("checkin", pk=booking.pk), form, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.IN_PROGRESS


def test_check_out_then_check_in_through_the_pages(member_client, member, vehicle):
    booking = BookingFactory(
        vehicle=vehicle,
        driver=member,
        start=NOW + dt.timedelta(minutes=30),
        end=NOW + dt.timedelta(hours=4),
    )
    response = member_client.post(
        url("checkout", pk=booking.pk), {"odometer": "500", "fuel_level": "80"}
    )
    assert response.status_code == 302
    response = member_client.post(
        url("checkin", pk=booking.pk),
        {
            "odometer": "542",
            "fuel_level": "60",
            "parked_at": "Place de la mairie",
            "receipts-TOTAL_FORMS": "2",
            "receipts-INITIAL_FORMS": "0",
            "receipts-0-amount": "20.50",
            "receipts-0-date": "2026-11-26",
        },
    )
    assert response.status_code == 302
    trip = Trip.objects.get(booking=booking)
    assert trip.km == 42 and trip.fuel_receipts.get().amount == 20.5


def test_mine_lists_upcoming_and_past(member_client, member, vehicle):
    BookingFactory(vehicle=vehicle, driver=member, start=NOW + dt.timedelta(days=1))
    BookingFactory(
        vehicle=vehicle,
        driver=member,
        start=NOW - dt.timedelta(days=5),
        status=Booking.Status.COMPLETED,
    )
    response = member_client.get(url("mine"))
    assert response.status_code == 200
    assert len(response.context["upcoming"]) == 1
    assert len(response.context["past"]) == 1


def test_vehicle_week_and_month_show_dst_bookings_at_wall_clock(member_client, member, vehicle):
    BookingFactory(
        vehicle=vehicle,
        driver=member,
        start=dt.datetime(2027, 3, 28, 1, tzinfo=PARIS),
        end=dt.datetime(2027, 3, 28, 4, tzinfo=PARIS),
    )
    week = member_client.get(url("vehicle_calendar", vehicle_id=vehicle.pk) + "?date=2027-03-28")
    month = member_client.get(
        url("vehicle_calendar", vehicle_id=vehicle.pk) + "?view=month&date=2027-03-01"
    )
    assert "01:00–04:00" in week.content.decode()
    assert "01:00–04:00" in month.content.decode()


def test_who_drove_finds_the_driver(admin_client_, member, vehicle):
    booking = BookingFactory(
        vehicle=vehicle,
        driver=member,
        start=NOW - dt.timedelta(days=3),
        status=Booking.Status.COMPLETED,
    )
    moment = (booking.start + dt.timedelta(hours=1)).astimezone(PARIS)
    response = admin_client_.get(
        url("who_drove") + f"?vehicle={vehicle.pk}&moment={moment:%Y-%m-%dT%H:%M}"
    )
    assert response.context["booking"] == booking


def test_feed_can_be_regenerated(member_client, member):
    page = member_client.get(url("feeds"))
    old = page.context["member_feed"].token
    assert Client().get(f"/feeds/member/{old}.ics").status_code == 200
    member_client.post(url("regenerate_feed"))
    assert Client().get(f"/feeds/member/{old}.ics").status_code == 404


def test_an_admin_books_for_a_member(admin_client_, member, vehicle):
    response = admin_client_.post(
        url("create"),
        {
            "vehicle": vehicle.pk,
            "driver": member.pk,
            "start": "2026-11-26T10:30",
            "end": "2026-11-26T12:00",
        },
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.driver == member and booking.created_by != member.user


def test_an_admin_enters_a_past_trip_and_a_gap_needs_an_explanation(admin_client_, member, vehicle):
    first = trip(member, 20, (9, 12), ("1000", "1040"))
    assert admin_client_.post(url("logbook"), logbook_page(vehicle, first)).status_code == 302
    later = trip(member, 22, (9, 12), ("1100", "1150"))
    response = admin_client_.post(
        url("logbook"), logbook_page(vehicle, later), HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 200
    assert "60 km manquent" in response.content.decode()
    later["gap_explanation"] = "Trajet de Bruno non noté"
    assert admin_client_.post(url("logbook"), logbook_page(vehicle, later)).status_code == 302
    trip_ = Trip.objects.get(odometer_out=1100)
    assert trip_.odometer_gap_km == 60 and trip_.from_paper_logbook
    review = admin_client_.get(url("review"))
    assert list(review.context["trips"]) == [trip_]


@pytest.mark.parametrize(
    ("start", "end"),
    [("2027-03-28T02:30", "2027-03-28T05:00"), ("2026-10-25T02:30", "2026-10-25T05:00")],
)
def test_wall_clock_times_that_do_not_exist_or_repeat_are_form_errors(
    member_client, vehicle, start, end
):
    with time_machine.travel(dt.datetime(2026, 10, 1, tzinfo=PARIS), tick=False):
        response = member_client.post(
            url("create"), {"vehicle": vehicle.pk, "start": start, "end": end}
        )
    assert response.status_code == 200
    assert response.context["form"].errors["start"]
    assert not Booking.objects.exists()


def test_the_booking_form_says_why_before_booking(member_client, member, vehicle):
    member.user.driver_profile.delete()
    response = member_client.get(
        url("create") + f"?vehicle={vehicle.pk}&start=2026-12-01T09:00&end=2026-12-01T12:00",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert "Votre profil de conducteur est incomplet" in response.content.decode()
