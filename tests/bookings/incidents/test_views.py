"""The incident pages, the check-in's damage note and the check-out's "already there"."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from bookings.models import Booking, Incident, IncidentPhoto, Trip, TripPhoto
from bookings.services.incidents import Report, report_incident
from tests.bookings.incidents.conftest import NOW
from tests.factories.bookings import BookingFactory
from tests.factories.vehicles import png_upload
from tests.ledger.helpers import assert_ledger_consistent, balance_of

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"bookings:{name}", kwargs={"slug": "testville", **kwargs})


def client_of(membership):
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(membership.user)
    return client


def in_progress(vehicle, driver):
    booking = BookingFactory(
        vehicle=vehicle,
        driver=driver,
        start=NOW - dt.timedelta(hours=2),
        end=NOW + dt.timedelta(hours=2),
        status=Booking.Status.IN_PROGRESS,
    )
    Trip.objects.create(
        booking=booking, odometer_out=10_050, fuel_level_out=50, checked_out_at=booking.start
    )
    return booking


@pytest.fixture
def incident(driver, clio, trip):
    return report_incident(
        actor=driver,
        report=Report(
            vehicle=clio,
            kind="dent",
            description="Choc",
            booking=trip.booking,
            photos=[png_upload()],
        ),
    )


def test_a_member_reports_from_the_page_in_one_submission(driver, clio):
    response = client_of(driver).post(
        url("incident_create"),
        {
            "vehicle": clio.pk,
            "kind": "scratch",
            "description": "Rayure sur l'aile",
            "photos": [png_upload(), png_upload("b.png")],
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == url("incident", pk=incident.pk)
    assert incident.photos.count() == 2


def test_the_report_page_is_prefilled_from_a_trip(driver, trip):
    page = client_of(driver).get(url("incident_create") + f"?booking={trip.booking_id}")
    assert page.status_code == 200
    assert f'value="{trip.booking_id}"' in page.content.decode()


def test_a_bad_report_is_a_form_error_in_french(driver, clio):
    response = client_of(driver).post(url("incident_create"), {"vehicle": clio.pk, "kind": "dent"})
    assert response.status_code == 200 and "obligatoire" in response.content.decode()
    assert not Incident.objects.exists()


def test_the_incident_page_shows_photos_and_offers_the_admin_a_prefilled_settlement(
    admin, incident, driver
):
    page = client_of(admin).get(url("incident", pk=incident.pk))
    html = page.content.decode()
    photo = incident.photos.get()
    assert url("incident_photo", pk=incident.pk, photo_id=photo.pk) in html
    assert page.context["settle_form"].initial == {
        "responsible": driver,
        "amount": Decimal("500.00"),
    }
    assert (
        client_of(admin).get(url("incident_photo", pk=incident.pk, photo_id=photo.pk)).status_code
        == 200
    )


def test_the_page_s_queries_do_not_grow_with_photos_and_replies(
    admin, incident, driver, django_assert_max_num_queries
):
    client = client_of(admin)
    client.get(url("incident", pk=incident.pk))
    for _ in range(5):
        IncidentPhoto.objects.create(incident=incident, file=png_upload())
        client_of(driver).post(url("incident_reply", pk=incident.pk), {"body": "Encore"})
    with django_assert_max_num_queries(25):
        assert client.get(url("incident", pk=incident.pk)).status_code == 200


def test_settling_from_the_page(association, admin, incident, driver, owner):
    response = client_of(admin).post(
        url("incident_settle", pk=incident.pk), {"responsible": driver.pk, "amount": "450"}
    )
    assert response.status_code == 302
    assert balance_of(association, driver) == Decimal("-450.00")
    assert balance_of(association, owner) == Decimal("450.00")
    assert_ledger_consistent(association)


def test_above_the_deductible_the_page_says_why_in_french(admin, incident, driver):
    response = client_of(admin).post(
        url("incident_settle", pk=incident.pk), {"responsible": driver.pk, "amount": "650"}
    )
    assert response.status_code == 400
    assert "franchise" in response.content.decode()
    assert Incident.objects.get(pk=incident.pk).status == Incident.Status.REPORTED


def test_the_driver_contests_from_the_page(incident, driver):
    response = client_of(driver).post(url("incident_reply", pk=incident.pk), {"body": "Pas moi"})
    assert response.status_code == 302 and incident.replies.get().body == "Pas moi"


def test_a_check_in_with_a_damage_note_opens_an_incident_with_its_photos(driver, clio):
    booking = in_progress(clio, driver)
    response = client_of(driver).post(
        url("checkin", pk=booking.pk),
        {
            "odometer": 10_120,
            "fuel_level": 40,
            "parked_at": "Place de la mairie",
            "damage": "Rétroviseur gauche cassé",
            "damage_photos": [png_upload()],
            "receipts-TOTAL_FORMS": 0,
            "receipts-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.booking == booking and incident.description == "Rétroviseur gauche cassé"
    assert incident.photos.get().stage == IncidentPhoto.Stage.CHECK_IN
    assert not TripPhoto.objects.filter(stage=TripPhoto.Stage.DAMAGE).exists()


def test_a_check_in_without_damage_opens_nothing(driver, clio):
    booking = in_progress(clio, driver)
    client_of(driver).post(
        url("checkin", pk=booking.pk),
        {
            "odometer": 10_120,
            "fuel_level": 40,
            "parked_at": "Mairie",
            "receipts-TOTAL_FORMS": 0,
            "receipts-INITIAL_FORMS": 0,
        },
    )
    assert not Incident.objects.exists()


def test_the_api_check_in_s_damage_opens_an_incident(driver, clio):
    from rest_framework.test import APIClient

    booking = in_progress(clio, driver)
    api = APIClient()
    api.force_authenticate(driver.user)
    response = api.post(
        f"/api/v1/associations/testville/bookings/{booking.pk}/checkin/",
        {"odometer": 10_100, "fuel_level": 50, "damage": "Pare-choc rayé"},
        format="json",
    )
    assert response.status_code == 200
    assert Incident.objects.get().description == "Pare-choc rayé"


def test_check_out_shows_open_incidents_and_the_last_photos_and_takes_already_there(
    association, owner, clio, incident, trip
):
    from tests.factories.members import MembershipFactory

    TripPhoto.objects.create(trip=trip, stage="in", file=png_upload())
    next_driver = MembershipFactory(association=association)
    booking = BookingFactory(vehicle=clio, driver=next_driver, start=NOW + dt.timedelta(minutes=30))
    client = client_of(next_driver)
    page = client.get(url("checkout", pk=booking.pk))
    html = page.content.decode()
    assert "Choc" in html
    photo = incident.photos.get()
    assert client.get(url("departure_photo", pk=booking.pk, photo_id=photo.pk)).status_code == 200
    returned = trip.photos.get()
    assert (
        client.get(url("departure_return_photo", pk=booking.pk, photo_id=returned.pk)).status_code
        == 200
    )
    # the incident page itself stays private to the people involved
    assert client.get(url("incident", pk=incident.pk)).status_code == 403
    response = client.post(url("already_there", pk=booking.pk, incident_id=incident.pk))
    assert response.status_code == 302
    assert incident.sightings.get().booking == booking
    assert (
        "Vous avez signalé" in client.get(url("checkout", pk=booking.pk)).content.decode()
        or incident.sightings.count() == 1
    )


def test_departure_photos_are_closed_once_the_booking_is_over(association, clio, incident):
    from tests.factories.members import MembershipFactory

    other = MembershipFactory(association=association)
    old = BookingFactory(vehicle=clio, driver=other, status=Booking.Status.COMPLETED)
    photo = incident.photos.get()
    assert (
        client_of(other).get(url("departure_photo", pk=old.pk, photo_id=photo.pk)).status_code
        == 404
    )
