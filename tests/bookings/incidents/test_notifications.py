"""Who hears about an incident, through the outbox, exactly once (issue 17's Done-when: a
check-in with a damage note opens an incident, and camille, the Clio's owner, has a
notification within the same scan run, once)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from bookings.models import Booking, Incident, Trip
from bookings.services.incidents import Report, reply_to_incident, report_incident
from bookings.services.settlement import Decision, close_incident, settle_incident
from notifications.models import Notification
from tests.bookings.incidents.conftest import NOW
from tests.factories.bookings import BookingFactory
from tests.factories.vehicles import png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def kinds_for(membership):
    return list(
        Notification.objects.filter(recipient=membership.user).values_list("kind", flat=True)
    )


def run_scans():
    call_command("run_scans", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_a_damage_at_check_in_reaches_camille_once_within_the_scan_run(owner, driver, admin, clio):
    booking = BookingFactory(
        vehicle=clio,
        driver=driver,
        start=NOW - dt.timedelta(hours=2),
        end=NOW + dt.timedelta(hours=1),
        status=Booking.Status.IN_PROGRESS,
    )
    Trip.objects.create(
        booking=booking, odometer_out=10_050, fuel_level_out=60, checked_out_at=booking.start
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(driver.user)
    client.post(
        reverse("bookings:checkin", kwargs={"slug": "testville", "pk": booking.pk}),
        {
            "odometer": 10_090,
            "fuel_level": 50,
            "parked_at": "Place de la mairie",
            "damage": "Portière arrière rayée",
            "damage_photos": [png_upload()],
            "receipts-TOTAL_FORMS": 0,
            "receipts-INITIAL_FORMS": 0,
        },
    )
    incident = Incident.objects.get()
    run_scans()
    run_scans()
    assert kinds_for(owner) == ["incident_reported"]
    assert kinds_for(admin) == ["incident_reported"]
    assert kinds_for(driver) == []  # the reporter
    camille = Notification.objects.get(recipient=owner.user)
    assert camille.status == Notification.Status.SENT and camille.in_app and camille.by_email
    assert "Portière arrière rayée" in camille.body and "Clio" in camille.subject
    assert f"/testville/incidents/{incident.pk}/" in camille.body
    to_camille = [m for m in mail.outbox if m.to == [owner.user.email]]
    assert len(to_camille) == 1


def test_a_reply_reaches_the_others_involved(owner, driver, admin, clio, trip):
    incident = report_incident(
        actor=owner,
        report=Report(vehicle=clio, kind="dent", description="Choc", booking=trip.booking),
    )
    reply_to_incident(actor=driver, incident=incident, body="Déjà là au départ")
    assert kinds_for(owner) == ["incident_reply"]
    assert sorted(kinds_for(admin)) == ["incident_reply", "incident_reported"]
    assert (
        "Déjà là au départ"
        in Notification.objects.get(kind="incident_reply", recipient=owner.user).body
    )
    assert "incident_reply" not in kinds_for(driver)


def test_the_decision_reaches_the_driver_charged(owner, driver, admin, clio, trip):
    incident = report_incident(
        actor=owner,
        report=Report(vehicle=clio, kind="dent", description="Choc", booking=trip.booking),
    )
    settle_incident(
        actor=admin, incident=incident, decision=Decision(responsible=driver, amount=Decimal("450"))
    )
    settled = Notification.objects.get(kind="incident_settled", recipient=driver.user)
    assert "450,00" in settled.body and "500,00" in settled.body
    assert "incident_settled" in kinds_for(owner)
    assert "incident_settled" not in kinds_for(admin)  # the admin who decided


def test_closing_tells_the_people_involved(owner, driver, admin, clio, trip):
    incident = report_incident(
        actor=driver,
        report=Report(vehicle=clio, kind="dent", description="Choc", booking=trip.booking),
    )
    close_incident(actor=admin, incident=incident)
    body = Notification.objects.get(kind="incident_settled", recipient=driver.user).body
    assert "sans frais" in body
