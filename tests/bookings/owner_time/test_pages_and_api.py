"""The booking page and the API refuse a booking in the owner's time; the owner's page
and the unavailability endpoint."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from bookings.models import Booking, Unavailability
from tests.bookings.owner_time.conftest import at

pytestmark = pytest.mark.django_db
API = "/api/v1/associations/testville"


def page_client(membership):
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(membership.user)
    return client


def api_client(membership):
    client = APIClient()
    client.force_authenticate(membership.user)
    return client


def test_the_booking_page_refuses_the_morning_in_french(member, clio, mornings):
    response = page_client(member).post(
        reverse("bookings:create", kwargs={"slug": "testville"}),
        {"vehicle": clio.pk, "start": "2027-03-22T08:00", "end": "2027-03-22T10:00"},
    )
    assert response.status_code == 200
    assert "Le propriétaire garde la voiture" in response.content.decode()
    assert not Booking.objects.exists()


def test_the_api_refuses_the_morning_with_vehicle_unavailable(member, clio, mornings):
    response = api_client(member).post(
        f"{API}/bookings/",
        {
            "vehicle": clio.pk,
            "start": "2027-03-22T08:00:00+01:00",
            "end": "2027-03-22T10:00:00+01:00",
        },
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "vehicle_unavailable"
    assert not Booking.objects.exists()


def test_the_api_availability_does_not_offer_the_car(member, clio, mornings):
    query = {"start": "2027-03-22T08:00:00+01:00", "end": "2027-03-22T09:00:00+01:00"}
    assert clio.pk not in [
        v["id"] for v in api_client(member).get(f"{API}/availability/", query).json()
    ]
    query = {"start": "2027-03-22T09:00:00+01:00", "end": "2027-03-22T10:00:00+01:00"}
    assert clio.pk in [
        v["id"] for v in api_client(member).get(f"{API}/availability/", query).json()
    ]


def test_the_availability_page_does_not_offer_the_car(member, clio, mornings):
    page = page_client(member).get(
        reverse("bookings:availability", kwargs={"slug": "testville"}),
        {"start": "2027-03-22T08:00", "end": "2027-03-22T09:00"},
    )
    assert clio not in page.context["vehicles"]


def test_post_unavailability_answers_201(camille, clio):
    response = api_client(camille).post(
        f"{API}/vehicles/{clio.pk}/unavailability/",
        {
            "start": "2027-03-25T14:00:00+01:00",
            "end": "2027-03-25T18:00:00+01:00",
            "reason": "Garage",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reason"] == "Garage" and body["weekdays"] == [] and body["vehicle"] == clio.pk
    listing = api_client(camille).get(f"{API}/vehicles/{clio.pk}/unavailability/").json()
    assert [row["id"] for row in listing] == [body["id"]]
    deleted = api_client(camille).delete(f"{API}/vehicles/{clio.pk}/unavailability/{body['id']}/")
    assert deleted.status_code == 204 and not Unavailability.objects.exists()


def test_post_a_repeated_unavailability(camille, clio):
    response = api_client(camille).post(
        f"{API}/vehicles/{clio.pk}/unavailability/",
        {
            "start": "2027-03-19T07:30:00+01:00",
            "end": "2027-03-19T09:00:00+01:00",
            "weekdays": [0, 1, 2, 3, 4],
            "repeat_until": "2027-06-30",
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["weekdays"] == [0, 1, 2, 3, 4]


def test_a_member_who_does_not_own_the_car_gets_403(member, clio):
    response = api_client(member).post(
        f"{API}/vehicles/{clio.pk}/unavailability/",
        {"start": "2027-03-25T14:00:00+01:00", "end": "2027-03-25T18:00:00+01:00"},
        format="json",
    )
    assert response.status_code == 403 and not Unavailability.objects.exists()


def test_the_owner_blocks_weekday_mornings_from_the_page_in_one_submission(camille, clio):
    client = page_client(camille)
    url = reverse("bookings:owner_time", kwargs={"slug": "testville", "vehicle_id": clio.pk})
    page = client.get(url)
    assert page.status_code == 200
    initial = page.context["block_form"].initial
    assert initial["weekdays"] == ["0", "1", "2", "3", "4"]
    assert (initial["start"], initial["end"]) == (at(19, 7, 30), at(19, 9))
    response = client.post(
        reverse("bookings:block", kwargs={"slug": "testville", "vehicle_id": clio.pk}),
        {
            "start": "2027-03-19T07:30",
            "end": "2027-03-19T09:00",
            "weekdays": ["0", "1", "2", "3", "4"],
            "reason": "Trajet travail",
        },
    )
    assert response.status_code == 302
    rule = Unavailability.objects.get()
    assert rule.weekdays == 0b0011111 and rule.start == at(19, 7, 30)
    assert "Trajet travail" in client.get(url).content.decode()


def test_the_page_shows_a_refusal_on_the_form(camille, member, clio):
    from tests.factories.bookings import BookingFactory

    BookingFactory(vehicle=clio, driver=member, start=at(22, 8), end=at(22, 9))
    response = page_client(camille).post(
        reverse("bookings:block", kwargs={"slug": "testville", "vehicle_id": clio.pk}),
        {"start": "2027-03-19T07:30", "end": "2027-03-19T09:00", "weekdays": ["0"]},
    )
    assert response.status_code == 400
    assert "Annulez cette réservation" in response.content.decode()


def test_the_owner_caps_a_driver_from_the_page(camille, member, clio):
    response = page_client(camille).post(
        reverse("bookings:cap", kwargs={"slug": "testville", "vehicle_id": clio.pk}),
        {"driver": member.pk, "hours_per_month": 20},
    )
    assert response.status_code == 302
    assert clio.usage_caps.get().hours_per_month == 20


def _clio_row(grid, clio):
    return next(row for row in grid.rows if row.vehicle.pk == clio.pk)


def test_the_planning_shows_the_owner_s_morning_and_offers_no_slot_in_it(member, clio, mornings):
    page = page_client(member).get(
        reverse("bookings:planning", kwargs={"slug": "testville"}),
        {"date": "2027-03-22", "days": "1"},
    )
    row = _clio_row(page.context["grid"], clio)
    assert [(k.period.start, k.period.end) for k in row.kept] == [(at(22, 7, 30), at(22, 9))]
    assert row.slots and all(s.end <= at(22, 7, 30) or s.start >= at(22, 9) for s in row.slots)
    assert "07:30–09:00 non prêtée" in page.content.decode()


def test_the_car_s_week_shows_the_mornings_on_weekdays_only(member, clio, mornings):
    page = page_client(member).get(
        reverse("bookings:vehicle_calendar", kwargs={"slug": "testville", "vehicle_id": clio.pk}),
        {"date": "2027-03-22"},
    )
    kept_days = [row.day for row in page.context["grid"].rows if row.kept]
    assert [day.isoformat() for day in kept_days] == [f"2027-03-{d}" for d in range(22, 27)]
