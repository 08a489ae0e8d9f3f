"""The incidents API: the contract of issue 17 (paths, fields, reason codes)."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from bookings.models import Incident, IncidentPhoto
from tests.factories.vehicles import PNG_BYTES
from tests.ledger.helpers import assert_ledger_consistent, balance_of

pytestmark = pytest.mark.django_db
BASE = "/api/v1/associations/testville"


def client_of(membership):
    client = APIClient()
    client.force_authenticate(membership.user)
    return client


@pytest.fixture
def reported(driver, clio, trip):
    response = client_of(driver).post(
        f"{BASE}/incidents/",
        {"vehicle": clio.pk, "booking": trip.booking_id, "kind": "dent", "description": "Choc"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_reporting_answers_201_with_the_incident(reported, clio, trip, driver):
    assert reported["vehicle"] == clio.pk and reported["booking"] == trip.booking_id
    assert reported["kind"] == "dent" and reported["status"] == "reported"
    assert reported["reported_by"] == driver.pk and reported["photos"] == []


def test_the_booking_is_optional(driver, clio):
    response = client_of(driver).post(
        f"{BASE}/incidents/",
        {"vehicle": clio.pk, "kind": "cleanliness", "description": "Boue"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["booking"] is None


def test_an_unknown_kind_is_a_400(driver, clio):
    response = client_of(driver).post(
        f"{BASE}/incidents/",
        {"vehicle": clio.pk, "kind": "meteor", "description": "x"},
        format="json",
    )
    assert response.status_code == 400 and "kind" in response.json()


def test_list_and_detail_show_what_the_caller_may_see(reported, driver, owner, admin, association):
    from tests.factories.members import MembershipFactory

    for who in (driver, owner, admin):
        listing = client_of(who).get(f"{BASE}/incidents/").json()
        assert listing["count"] == 1 and listing["results"][0]["id"] == reported["id"]
    neighbour = MembershipFactory(association=association)
    assert client_of(neighbour).get(f"{BASE}/incidents/").json()["count"] == 0
    assert client_of(neighbour).get(f"{BASE}/incidents/{reported['id']}/").status_code == 403
    assert client_of(owner).get(f"{BASE}/incidents/{reported['id']}/").status_code == 200


def test_settle_450_answers_200_and_moves_the_balances(reported, admin, driver, owner, association):
    response = client_of(admin).post(
        f"{BASE}/incidents/{reported['id']}/settle/",
        {"amount": "450.00", "responsible": driver.pk},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "settled" and body["charged_amount"] == "450.00"
    assert body["deductible_applied"] == "500.00"
    assert body["ledger_reference"] == f"incident:{reported['id']}"
    assert balance_of(association, driver) == Decimal("-450.00")
    assert balance_of(association, owner) == Decimal("450.00")
    assert_ledger_consistent(association)


def test_settle_650_answers_400_above_deductible(reported, admin, driver, association):
    response = client_of(admin).post(
        f"{BASE}/incidents/{reported['id']}/settle/",
        {"amount": "650.00", "responsible": driver.pk},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "above_deductible" and body["deductible"] == "500.00"
    assert "franchise" in body["detail"]
    assert Incident.objects.get(pk=reported["id"]).status == "reported"
    assert_ledger_consistent(association)


def test_the_driver_replies_then_the_admin_closes(reported, driver, admin):
    reply = client_of(driver).post(
        f"{BASE}/incidents/{reported['id']}/replies/", {"body": "Déjà là au départ"}, format="json"
    )
    assert reply.status_code == 201 and reply.json()["body"] == "Déjà là au départ"
    closed = client_of(admin).post(
        f"{BASE}/incidents/{reported['id']}/close/", {"decision": "Rayure ancienne"}, format="json"
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    late = client_of(driver).post(
        f"{BASE}/incidents/{reported['id']}/replies/", {"body": "Merci"}, format="json"
    )
    assert late.status_code == 409 and late.json()["code"] == "invalid_status"


def test_the_owner_assesses(reported, owner):
    response = client_of(owner).post(
        f"{BASE}/incidents/{reported['id']}/assess/",
        {"kind": "dent", "repair_cost": "380.00", "document_kind": "quote"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "assessed" and response.json()["repair_cost"] == "380.00"


def test_photos_are_listed_and_served(reported, driver):
    photo = IncidentPhoto.objects.create(
        incident_id=reported["id"], file=ContentFile(PNG_BYTES, name="p.png")
    )
    body = client_of(driver).get(f"{BASE}/incidents/{reported['id']}/").json()
    assert body["photos"][0]["id"] == photo.pk
    served = client_of(driver).get(body["photos"][0]["url"])
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
