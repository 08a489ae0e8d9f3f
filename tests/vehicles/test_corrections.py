"""Correcting a policy or a document in place, with its history on the vehicle's page."""

import datetime as dt

import pytest
from django.test import Client

from core.errors import DomainError
from members.models import AuditEntry
from tests.factories.vehicles import (
    InsurancePolicyFactory,
    VehicleDocumentFactory,
    VehicleFactory,
    pdf_upload,
)
from vehicles.models import InsurancePolicy, VehicleDocument
from vehicles.services import correct_insurance_policy, correct_vehicle_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def car(association):
    return VehicleFactory(association=association, owner_kind="association", name="Kangoo")


@pytest.fixture
def policy(car):
    return InsurancePolicyFactory(
        vehicle=car,
        policy_number="MAIF-1234",
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2026, 12, 31),
        min_driver_age=21,
    )


def client_of(membership):
    client = Client()
    client.force_login(membership.user)
    return client


def policy_form(policy, **changes):
    data = {
        "insurer": policy.insurer,
        "policy_number": policy.policy_number,
        "cover": policy.cover,
        "valid_from": policy.valid_from.isoformat(),
        "valid_until": policy.valid_until.isoformat() if policy.valid_until else "",
        "deductible": str(policy.deductible),
        "young_driver_rule": policy.young_driver_rule,
        "young_driver_deductible": "",
        "min_driver_age": policy.min_driver_age,
        "min_licence_years": policy.min_licence_years,
        "substitute_policy": policy.substitute_policy,
    }
    return {**data, **changes}


def policy_url(policy):
    return f"/testville/vehicles/{policy.vehicle_id}/insurance/{policy.pk}/edit/"


def test_a_typo_in_the_policy_number_is_corrected_in_place(admin, policy, car):
    client = client_of(admin)
    form_page = client.get(policy_url(policy)).content.decode()
    assert 'value="MAIF-1234"' in form_page  # the form comes filled

    response = client.post(policy_url(policy), policy_form(policy, policy_number="MAIF-1243"))

    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.policy_number, policy.is_active) == ("MAIF-1243", True)
    assert InsurancePolicy.objects.filter(vehicle=car).count() == 1
    page = client.get(f"/testville/vehicles/{car.pk}/").content.decode()
    assert "<del>MAIF-1234</del>" in page and "<ins>MAIF-1243</ins>" in page


def test_loosening_a_rule_of_the_policy_needs_the_confirmation(admin, policy):
    client = client_of(admin)
    data = policy_form(policy, min_driver_age=18)
    refused = client.post(policy_url(policy), data)
    assert refused.status_code == 409
    assert "Âge minimal" in refused.content.decode()
    policy.refresh_from_db()
    assert policy.min_driver_age == 21

    confirmed = client.post(policy_url(policy), {**data, "confirm_loosening": "on"})
    assert confirmed.status_code == 302
    policy.refresh_from_db()
    assert policy.min_driver_age == 18
    assert AuditEntry.objects.filter(action="vehicle.insurance_rules_loosened").count() == 1
    corrected = AuditEntry.objects.get(action="vehicle.insurance_corrected")
    assert corrected.data["changes"] == {"min_driver_age": [21, 18]}


def test_a_policy_ending_before_it_starts_is_a_french_form_error(admin, policy):
    response = client_of(admin).post(
        policy_url(policy), policy_form(policy, valid_until="2025-01-01")
    )
    assert response.status_code == 400
    assert "Le contrat ne peut pas finir avant de commencer" in response.content.decode()
    policy.refresh_from_db()
    assert policy.valid_until == dt.date(2026, 12, 31)


def test_a_document_date_is_corrected_and_its_file_kept(admin, car):
    document = VehicleDocumentFactory(vehicle=car, file=pdf_upload())
    url = f"/testville/vehicles/{car.pk}/documents/{document.pk}/edit/"
    response = client_of(admin).post(
        url,
        {"kind": document.kind, "issued_on": "2024-06-01", "expires_on": "2026-06-11"},
    )
    assert response.status_code == 302
    kept = document.file.name
    document.refresh_from_db()
    assert document.expires_on == dt.date(2026, 6, 11)
    assert document.file.name == kept
    assert AuditEntry.objects.get(action="vehicle.document_corrected").data["changes"] == {
        "expires_on": ["2026-06-01", "2026-06-11"]
    }


def test_a_document_file_can_be_replaced(admin, car):
    document = VehicleDocumentFactory(vehicle=car, file=pdf_upload("old.pdf"))
    old_name = document.file.name
    correct_vehicle_document(actor=admin, document=document, fields={"file": pdf_upload("new.pdf")})
    document.refresh_from_db()
    assert document.file.name != old_name
    assert document.file.read().startswith(b"%PDF")
    changes = AuditEntry.objects.get(action="vehicle.document_corrected").data["changes"]
    assert changes == {"file": [old_name, document.file.name]}


def test_the_services_refuse_unknown_fields(admin, policy):
    with pytest.raises(DomainError) as refused:
        correct_insurance_policy(actor=admin, policy=policy, fields={"is_active": False})
    assert (refused.value.code, refused.value.field) == ("unknown_field", "is_active")
    policy.refresh_from_db()
    assert policy.is_active


def test_a_roadworthiness_test_keeps_its_due_date(admin, car):
    document = VehicleDocumentFactory(vehicle=car, kind=VehicleDocument.Kind.ROADWORTHINESS)
    with pytest.raises(DomainError) as refused:
        correct_vehicle_document(actor=admin, document=document, fields={"expires_on": None})
    assert refused.value.field == "expires_on"
    document.refresh_from_db()
    assert document.expires_on == dt.date(2026, 6, 1)
