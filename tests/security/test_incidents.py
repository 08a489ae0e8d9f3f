"""Hostile readings of incidents (issue 17): a driver settling their own incident, another
association's admin, a charge above the deductible through the API, a stranger's photos,
a leaked token of another association."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from bookings.models import Booking, Incident, IncidentPhoto
from ledger.models import LedgerTransaction
from members.models import Membership
from tests.factories.bookings import TripFactory
from tests.factories.ledger import tariffed_vehicle
from tests.factories.members import MembershipFactory
from tests.factories.vehicles import PNG_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(association):
    return MembershipFactory(association=association)


@pytest.fixture
def clio(association, owner):
    return tariffed_vehicle(association, owners=[(owner, 100)], name="Clio")


@pytest.fixture
def incident(clio, member):
    trip = TripFactory(
        booking__vehicle=clio, booking__driver=member, booking__status=Booking.Status.COMPLETED
    )
    incident = Incident.objects.create(
        vehicle=clio,
        booking=trip.booking,
        kind=Incident.Kind.DENT,
        description="Choc",
        reported_by=member,
        occurred_at=trip.booking.start,
    )
    IncidentPhoto.objects.create(incident=incident, file=ContentFile(PNG_BYTES, name="p.png"))
    return incident


@pytest.fixture
def foreign_admin(other_association):
    return MembershipFactory(association=other_association, role=Membership.Role.ADMIN)


def api_for(membership):
    """The API as a client with the member's token (a leaked one, for the hostile cases)."""
    client = APIClient()
    _instance, token = AuthToken.objects.create(user=membership.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def settle_url(incident, slug="testville"):
    return f"/api/v1/associations/{slug}/incidents/{incident.pk}/settle/"


def nothing_posted():
    return not LedgerTransaction.objects.filter(reference__startswith="incident:").exists()


def test_a_driver_cannot_settle_their_own_incident_cheaply(member, incident):
    response = api_for(member).post(
        settle_url(incident), {"amount": "0.01", "responsible": member.pk}, format="json"
    )
    assert response.status_code == 403
    page = Client()
    page.force_login(member.user)
    assert (
        page.post(
            f"/testville/incidents/{incident.pk}/settle/", {"responsible": member.pk, "amount": "1"}
        ).status_code
        == 403
    )
    assert Incident.objects.get(pk=incident.pk).status == Incident.Status.REPORTED
    assert nothing_posted()


def test_a_driver_cannot_blame_someone_else_by_settling(member, admin, incident):
    response = api_for(member).post(
        settle_url(incident), {"amount": "500", "responsible": admin.pk}, format="json"
    )
    assert response.status_code == 403 and nothing_posted()


def test_another_association_s_admin_sees_nothing(foreign_admin, incident, member):
    api = api_for(foreign_admin)
    assert api.get(f"/api/v1/associations/testville/incidents/{incident.pk}/").status_code == 404
    assert (
        api.post(
            settle_url(incident), {"amount": "1", "responsible": member.pk}, format="json"
        ).status_code
        == 404
    )
    # through their own association's URL, the incident does not exist either
    assert (
        api.post(
            settle_url(incident, slug="ailleurs"),
            {"amount": "1", "responsible": member.pk},
            format="json",
        ).status_code
        == 404
    )
    assert api.get("/api/v1/associations/ailleurs/incidents/").json()["count"] == 0
    assert nothing_posted()


def test_a_charge_above_the_deductible_through_the_api_is_refused(admin, member, incident):
    response = api_for(admin).post(
        settle_url(incident), {"amount": "500.01", "responsible": member.pk}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "above_deductible"
    assert nothing_posted()


@pytest.mark.parametrize("amount", ["-450", "1e9", "NaN", "Infinity", "450.001", "", None, [1]])
def test_absurd_amounts_are_400_and_post_nothing(admin, member, incident, amount):
    response = api_for(admin).post(
        settle_url(incident), {"amount": amount, "responsible": member.pk}, format="json"
    )
    assert response.status_code == 400 and nothing_posted()


def test_a_responsible_of_another_association_is_404(admin, outsider, incident):
    response = api_for(admin).post(
        settle_url(incident), {"amount": "100", "responsible": outsider.pk}, format="json"
    )
    assert response.status_code == 404 and nothing_posted()


def test_a_photo_of_another_association_s_incident_is_404(outsider, incident):
    photo = incident.photos.get()
    page = Client()
    page.force_login(outsider.user)
    assert page.get(f"/testville/incidents/{incident.pk}/photos/{photo.pk}/").status_code == 404
    assert page.get(f"/ailleurs/incidents/{incident.pk}/photos/{photo.pk}/").status_code == 404
    api = api_for(outsider)
    assert (
        api.get(
            f"/api/v1/associations/ailleurs/incidents/{incident.pk}/photos/{photo.pk}/"
        ).status_code
        == 404
    )


def test_a_photo_is_not_served_under_another_incident(association, clio, member, incident):
    mine = Incident.objects.create(
        vehicle=clio, kind="dent", description="Autre", reported_by=member
    )
    photo = incident.photos.get()
    page = Client()
    page.force_login(member.user)
    assert page.get(f"/testville/incidents/{mine.pk}/photos/{photo.pk}/").status_code == 404


def test_a_member_not_involved_cannot_see_the_photos(association, incident):
    neighbour = MembershipFactory(association=association)
    page = Client()
    page.force_login(neighbour.user)
    photo = incident.photos.get()
    assert page.get(f"/testville/incidents/{incident.pk}/photos/{photo.pk}/").status_code == 403


def test_already_there_cannot_be_said_on_someone_else_s_booking(
    association, clio, member, incident
):
    from tests.factories.bookings import BookingFactory

    other = MembershipFactory(association=association)
    booking = BookingFactory(
        vehicle=clio, driver=other, start=dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    )
    page = Client()
    page.force_login(member.user)
    response = page.post(f"/testville/bookings/{booking.pk}/incidents/{incident.pk}/already-there/")
    assert response.status_code == 403 and not incident.sightings.exists()


def test_reporting_on_another_association_s_car_is_404(outsider, clio):
    response = api_for(outsider).post(
        "/api/v1/associations/ailleurs/incidents/",
        {"vehicle": clio.pk, "kind": "dent", "description": "x"},
        format="json",
    )
    assert (
        response.status_code == 404 and not Incident.objects.filter(reported_by=outsider).exists()
    )


def test_an_owner_assessing_cannot_forge_a_huge_repair(owner, incident):
    response = api_for(owner).post(
        f"/api/v1/associations/testville/incidents/{incident.pk}/assess/",
        {"kind": "dent", "repair_cost": "1000000"},
        format="json",
    )
    assert response.status_code == 400
    assert Incident.objects.get(pk=incident.pk).repair_cost is None


def test_settling_twice_is_refused_the_second_time(admin, member, incident):
    api = api_for(admin)
    first = api.post(
        settle_url(incident), {"amount": "100", "responsible": member.pk}, format="json"
    )
    second = api.post(
        settle_url(incident), {"amount": "100", "responsible": member.pk}, format="json"
    )
    assert first.status_code == 200 and second.status_code == 409
    assert LedgerTransaction.objects.filter(reference=f"incident:{incident.pk}").count() == 1
    assert Decimal(first.json()["charged_amount"]) == Decimal("100.00")
