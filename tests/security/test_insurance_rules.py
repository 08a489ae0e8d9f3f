"""Insurance renewal: a new policy starts from the current one, and a policy that loosens a
rule of the current one (young drivers, minimum age or licence years, deductibles) is saved
only with an explicit confirmation, which the audit trail keeps."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from core.errors import DomainError
from members.models import AuditEntry
from tests.factories.members import UserFactory
from tests.factories.vehicles import InsurancePolicyFactory, VehicleFactory, VehicleOwnershipFactory
from vehicles import services
from vehicles.models import InsurancePolicy, Vehicle

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def car(member):
    vehicle = VehicleFactory(association=member.association, name="Kangoo")
    VehicleOwnershipFactory(vehicle=vehicle, owner=member)
    InsurancePolicyFactory(
        vehicle=vehicle,
        insurer="Groupama",
        policy_number="GR-77813-K",
        cover="third_party",
        valid_from=dt.date(2025, 3, 1),
        valid_until=dt.date(2026, 2, 28),
        deductible=D("800.00"),
        young_driver_rule="forbidden",
        min_driver_age=23,
        min_licence_years=3,
        substitute_policy="Groupama Prêt 12",
    )
    return vehicle


def _url(vehicle, name="policy_add"):
    return reverse(f"vehicles:{name}", kwargs={"slug": vehicle.association.slug, "pk": vehicle.pk})


def _renewal(**changes):
    """What a volunteer sends after typing only the new dates into a renewal."""
    fields = {
        "insurer": "Groupama",
        "policy_number": "GR-77813-K",
        "cover": "third_party",
        "valid_from": dt.date(2026, 3, 1),
        "valid_until": dt.date(2027, 2, 28),
        "deductible": D("800.00"),
        "young_driver_rule": "forbidden",
        "young_driver_deductible": None,
        "min_driver_age": 23,
        "min_licence_years": 3,
        "substitute_policy": "Groupama Prêt 12",
    }
    return {**fields, **changes}


def _post(fields, **extra):
    data = {k: ("" if v is None else str(v)) for k, v in fields.items()}
    return {**data, **extra}


@time_machine.travel(dt.datetime(2026, 2, 20, 10, tzinfo=dt.UTC), tick=False)
def test_the_renewal_form_starts_from_the_current_policy_with_dates_moved_on(member_client, car):
    response = member_client.get(_url(car))
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["young_driver_rule"] == "forbidden"
    assert initial["min_licence_years"] == 3
    assert initial["min_driver_age"] == 23
    assert initial["deductible"] == D("800.00")
    assert initial["insurer"] == "Groupama"
    assert initial["policy_number"] == "GR-77813-K"
    assert initial["cover"] == "third_party"
    assert initial["substitute_policy"] == "Groupama Prêt 12"
    assert initial["valid_from"] == dt.date(2026, 3, 1)
    assert initial["valid_until"] == dt.date(2027, 2, 28)


def test_a_renewal_that_keeps_the_rules_needs_no_confirmation(member, car):
    policy = services.add_insurance_policy(actor=member, vehicle=car, fields=_renewal())
    assert policy.is_active and policy.young_driver_rule == "forbidden"


@pytest.mark.parametrize(
    ("changes", "loosened"),
    [
        ({"young_driver_rule": "allowed"}, ["young_driver_rule"]),
        (
            {"young_driver_rule": "higher_deductible", "young_driver_deductible": D("1500")},
            ["young_driver_rule"],
        ),
        ({"min_licence_years": 2, "min_driver_age": 21}, ["min_driver_age", "min_licence_years"]),
        ({"deductible": D("500.00")}, ["deductible"]),
    ],
)
def test_a_policy_that_loosens_a_rule_is_refused_without_confirmation(
    member, car, changes, loosened
):
    with pytest.raises(DomainError) as refused:
        services.add_insurance_policy(actor=member, vehicle=car, fields=_renewal(**changes))
    assert refused.value.code == "rules_loosened"
    assert refused.value.http_status == 409
    assert [item["field"] for item in refused.value.extra["loosened"]] == loosened
    assert car.insurance_policies.count() == 1
    assert car.insurance_policies.get(is_active=True).policy_number == "GR-77813-K"


def test_a_lower_young_driver_deductible_is_a_loosening(member, car):
    car.insurance_policies.update(
        young_driver_rule="higher_deductible", young_driver_deductible=D("1500")
    )
    fields = _renewal(young_driver_rule="higher_deductible", young_driver_deductible=D("1000"))
    with pytest.raises(DomainError) as refused:
        services.add_insurance_policy(actor=member, vehicle=car, fields=fields)
    assert [item["field"] for item in refused.value.extra["loosened"]] == [
        "young_driver_deductible"
    ]


def test_a_confirmed_loosening_is_saved_and_recorded(member, car):
    policy = services.add_insurance_policy(
        actor=member,
        vehicle=car,
        fields=_renewal(young_driver_rule="allowed", min_licence_years=2),
        confirm_loosening=True,
    )
    assert policy.is_active
    entry = AuditEntry.objects.get(action="vehicle.insurance_rules_loosened")
    assert entry.actor == member.user
    assert entry.data["loosened"] == {
        "young_driver_rule": ["forbidden", "allowed"],
        "min_licence_years": [3, 2],
    }


def test_the_page_asks_for_confirmation_then_records_it(member_client, member, car):
    loosening = _post(_renewal(young_driver_rule="allowed", min_licence_years=2))
    first = member_client.post(_url(car), loosening, HTTP_ACCEPT_LANGUAGE="fr")
    assert first.status_code == 409
    html = first.text
    assert "Jeunes conducteurs\u00a0: interdits → autorisés" in html
    assert "Années de permis minimales\u00a0: 3 → 2" in html
    assert 'name="confirm_loosening"' in html
    assert car.insurance_policies.count() == 1
    second = member_client.post(_url(car), {**loosening, "confirm_loosening": "on"})
    assert second.status_code == 302
    assert car.insurance_policies.get(is_active=True).young_driver_rule == "allowed"
    assert AuditEntry.objects.filter(action="vehicle.insurance_rules_loosened").count() == 1


def test_the_confirmation_box_does_not_appear_for_a_renewal_that_keeps_the_rules(
    member_client, car
):
    response = member_client.get(_url(car))
    assert 'name="confirm_loosening"' not in response.text


def test_the_django_admin_cannot_write_policies_around_the_rule(car):
    staff = UserFactory(is_staff=True, is_superuser=True)
    request = RequestFactory().get("/")
    request.user = staff
    vehicle_admin = site._registry[Vehicle]
    inline = next(
        i for i in vehicle_admin.get_inline_instances(request, car) if i.model is InsurancePolicy
    )
    assert not inline.has_add_permission(request, car)
    assert not inline.has_change_permission(request, car)
    assert not inline.has_delete_permission(request, car)


def _api_client(membership):
    client = APIClient()
    client.force_authenticate(membership.user)
    return client


def _api(vehicle):
    slug = vehicle.association.slug
    return f"/api/v1/associations/{slug}/vehicles/{vehicle.pk}/insurance/"


def _json(fields):
    return {k: (str(v) if isinstance(v, dt.date | Decimal) else v) for k, v in fields.items()}


def test_the_api_refuses_a_loosening_without_confirm_loosening(member, car):
    client = _api_client(member)
    body = _json(_renewal(young_driver_rule="allowed"))
    refused = client.post(_api(car), body, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "rules_loosened"
    assert refused.json()["loosened"] == [
        {"field": "young_driver_rule", "old": "forbidden", "new": "allowed"}
    ]
    assert car.insurance_policies.count() == 1
    saved = client.post(_api(car), {**body, "confirm_loosening": True}, format="json")
    assert saved.status_code == 201
    assert saved.json()["young_driver_rule"] == "allowed"
    assert AuditEntry.objects.filter(action="vehicle.insurance_rules_loosened").exists()


def test_another_associations_admin_cannot_write_a_policy(outsider, car):
    outsider.role = "admin"
    outsider.save(update_fields=["role"])
    response = _api_client(outsider).post(
        _api(car), {**_json(_renewal()), "confirm_loosening": True}, format="json"
    )
    assert response.status_code == 404
    assert car.insurance_policies.count() == 1


def test_a_member_who_does_not_manage_the_car_cannot_write_a_policy(car):
    from tests.factories.members import MembershipFactory

    other = MembershipFactory(association=car.association)
    response = _api_client(other).post(_api(car), _json(_renewal()), format="json")
    assert response.status_code == 403
    assert car.insurance_policies.count() == 1


def test_an_api_renewal_that_sends_only_the_new_dates_weakens_nothing(member, car):
    # The volunteer, through the API: the optional fields left out would take the model's
    # defaults (young drivers allowed, 2 years of licence, no minimum age): refused, listed.
    body = {
        "insurer": "Groupama",
        "policy_number": "GR-77813-K",
        "cover": "third_party",
        "deductible": "800.00",
        "valid_from": "2026-03-01",
        "valid_until": "2027-02-28",
    }
    refused = _api_client(member).post(_api(car), body, format="json")
    assert refused.status_code == 409, refused.content
    assert refused.json()["code"] == "rules_loosened"
    loosened = {item["field"] for item in refused.json()["loosened"]}
    assert {"young_driver_rule", "min_licence_years"} <= loosened
    assert car.insurance_policies.count() == 1
    assert not AuditEntry.objects.filter(action="vehicle.insurance_rules_loosened").exists()
