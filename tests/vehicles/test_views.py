import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import AuditEntry
from tests.factories.members import MembershipFactory
from tests.factories.vehicles import (
    InsurancePolicyFactory,
    TariffFactory,
    VehicleDocumentFactory,
    VehicleFactory,
    owned_vehicle,
)
from tests.vehicles.test_calculator import ISSUE_CASE
from vehicles.calculator import calculate_price_per_km, calculation_record
from vehicles.models import Tariff, Vehicle

pytestmark = pytest.mark.django_db
D = Decimal


def url(name, association, **kwargs):
    return reverse(f"vehicles:{name}", kwargs={"slug": association.slug, **kwargs})


def vehicle_form(**overrides):
    data = {
        "name": "Clio",
        "make": "Renault",
        "model": "Clio",
        "plate": "ab 123 cd",
        "energy": "petrol",
        "gearbox": "manual",
        "seats": "5",
        "usual_radius_km": "100",
        "key_mode": "hand",
        "is_active": "on",
        "min_notice_hours": "0",
        "buffer_minutes": "0",
        "shares-TOTAL_FORMS": "2",
        "shares-INITIAL_FORMS": "0",
        "shares-MIN_NUM_FORMS": "0",
        "shares-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


# The fleet page


def test_the_fleet_shows_the_association_cars_only(member_client, association, other_association):
    VehicleFactory(association=association, name="Notre Clio")
    VehicleFactory(association=other_association, name="Leur Kangoo")
    response = member_client.get(url("list", association))
    assert response.status_code == 200
    assert "Notre Clio" in response.text
    assert "Leur Kangoo" not in response.text


def test_the_fleet_page_runs_a_constant_number_of_queries(member_client, association, member):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert member_client.get(url("list", association)).status_code == 200
        return len(queries)

    owned_vehicle(member)
    VehicleDocumentFactory(vehicle=owned_vehicle(member))
    few = count_queries()
    for _ in range(5):
        vehicle = owned_vehicle(member)
        VehicleDocumentFactory(vehicle=vehicle)
        InsurancePolicyFactory(vehicle=vehicle, is_active=False, policy_number="OLD")
    assert count_queries() == few


def test_the_fleet_shows_badges_price_and_photo_link(member_client, association, member):
    vehicle = owned_vehicle(member, photo="private/vehicle/x.png")
    vehicle.insurance_policies.update(
        valid_until=dt.date(2020, 1, 1), valid_from=dt.date(2019, 1, 1)
    )
    response = member_client.get(url("list", association))
    assert "badge--danger" in response.text
    assert url("photo", association, pk=vehicle.pk) in response.text
    assert "0,300" in response.text  # French decimals


# The vehicle page


def test_a_member_sees_the_rules_but_not_the_policy_number(member_client, association, admin):
    vehicle = owned_vehicle(admin)
    policy = vehicle.insurance_policies.get()
    response = member_client.get(url("detail", association, pk=vehicle.pk))
    assert response.status_code == 200
    assert "500,00" in response.text  # the deductible
    assert policy.policy_number not in response.text
    assert url("edit", association, pk=vehicle.pk) not in response.text
    assert "records" not in response.context


def test_the_owner_sees_the_papers(member_client, association, member):
    vehicle = owned_vehicle(member)
    policy = vehicle.insurance_policies.get()
    response = member_client.get(url("detail", association, pk=vehicle.pk))
    assert policy.policy_number in response.text
    assert url("policy_add", association, pk=vehicle.pk) in response.text
    assert url("ownership", association, pk=vehicle.pk) not in response.text  # admins only


def test_the_page_shows_the_calculated_breakdown_as_svg_and_numbers(
    member_client, association, admin
):
    vehicle = owned_vehicle(admin)
    breakdown = calculate_price_per_km(ISSUE_CASE)
    vehicle.tariffs.update(
        calculation=calculation_record(
            energy="petrol", inputs=ISSUE_CASE, breakdown=breakdown, chosen=D("0.30")
        )
    )
    response = member_client.get(url("detail", association, pk=vehicle.pk))
    assert "<svg" in response.text and 'role="img"' in response.text
    for number in ("0,111", "0,128", "0,060", "0,299"):
        assert number in response.text
    assert "ADEME" in response.text
    assert 'style="' not in response.text  # CSP: no inline styles


def test_a_car_of_another_association_is_404(member_client, association, other_association):
    foreign = VehicleFactory(association=other_association)
    assert member_client.get(url("detail", association, pk=foreign.pk)).status_code == 404
    assert member_client.get(url("edit", association, pk=foreign.pk)).status_code == 404
    assert member_client.get(url("detail", other_association, pk=foreign.pk)).status_code == 404


def test_another_member_may_not_edit(member_client, association, admin):
    vehicle = owned_vehicle(admin)
    for name in (
        "edit",
        "calculator",
        "policy_add",
        "document_add",
        "maintenance_add",
        "tariff_add",
    ):
        assert member_client.get(url(name, association, pk=vehicle.pk)).status_code == 403
    response = member_client.post(
        url("edit", association, pk=vehicle.pk), vehicle_form(name="Mine")
    )
    assert response.status_code == 403
    vehicle.refresh_from_db()
    assert vehicle.name != "Mine"


# Creating and editing


def test_a_member_adds_a_car_and_owns_it(member_client, association, member):
    response = member_client.post(url("create", association), vehicle_form())
    vehicle = Vehicle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", association, pk=vehicle.pk)
    assert vehicle.plate == "AB-123-CD"
    assert vehicle.ownerships.get().owner == member


def test_the_new_car_form_starts_from_the_association_approval_default(member_client, association):
    association.approval_required_default = True
    association.save()
    form = member_client.get(url("create", association)).context["form"]
    assert form["approval_required"].value() is True


def test_the_member_form_has_no_ownership_fields(member_client, admin_client_, association):
    assert "owner_kind" not in member_client.get(url("create", association)).text
    assert "owner_kind" in admin_client_.get(url("create", association)).text


def test_an_admin_adds_a_co_owned_car(admin_client_, association, member):
    other = MembershipFactory(association=association)
    data = vehicle_form(
        owner_kind="co_owners",
        **{
            "shares-0-owner": member.pk,
            "shares-0-share": "50",
            "shares-1-owner": other.pk,
            "shares-1-share": "50",
        },
    )
    response = admin_client_.post(url("create", association), data)
    assert response.status_code == 302
    vehicle = Vehicle.objects.get()
    assert vehicle.owner_kind == "co_owners"
    assert vehicle.ownerships.count() == 2


def test_shares_that_do_not_add_up_are_explained_and_nothing_is_saved(
    admin_client_, association, member
):
    other = MembershipFactory(association=association)
    data = vehicle_form(
        owner_kind="co_owners",
        **{
            "shares-0-owner": member.pk,
            "shares-0-share": "50",
            "shares-1-owner": other.pk,
            "shares-1-share": "40",
        },
    )
    response = admin_client_.post(url("create", association), data, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert "100" in response.text
    assert not Vehicle.objects.exists()


def test_a_bad_plate_is_shown_in_french_on_the_form(member_client, association):
    response = member_client.post(url("create", association), vehicle_form(plate="WW-123-AB"))
    assert response.status_code == 200
    assert response.context["form"].errors["plate"]
    assert not Vehicle.objects.exists()


def test_the_owner_edits_the_car(member_client, association, member):
    vehicle = owned_vehicle(member)
    friend = MembershipFactory(association=association)
    data = vehicle_form(
        plate=vehicle.plate,
        approval_required="on",
        drivers_restricted="on",
        allowed_drivers=[friend.pk],
        key_mode="spare",
        key_arrangement="Boîte à clés, code 1234",
    )
    response = member_client.post(url("edit", association, pk=vehicle.pk), data)
    assert response.status_code == 302
    vehicle.refresh_from_db()
    assert vehicle.approval_required and vehicle.key_mode == "spare"
    assert list(vehicle.allowed_drivers.all()) == [friend]


def test_an_admin_sets_the_ownership(admin_client_, association, member):
    vehicle = owned_vehicle(member)
    data = {
        "owner_kind": "association",
        "registration_holder": "",
        "shares-TOTAL_FORMS": "1",
        "shares-INITIAL_FORMS": "1",
        "shares-MIN_NUM_FORMS": "0",
        "shares-MAX_NUM_FORMS": "1000",
        "shares-0-owner": "",
        "shares-0-share": "",
    }
    response = admin_client_.post(url("ownership", association, pk=vehicle.pk), data)
    assert response.status_code == 302
    vehicle.refresh_from_db()
    assert vehicle.owner_kind == "association"
    assert not vehicle.ownerships.exists()
    assert AuditEntry.objects.filter(action="vehicle.ownership_set").exists()


def test_the_owner_records_a_policy_and_a_tariff(member_client, association, member):
    vehicle = owned_vehicle(member)
    response = member_client.post(
        url("policy_add", association, pk=vehicle.pk),
        {
            "insurer": "MAIF",
            "policy_number": "NEW-1",
            "cover": "third_party",
            "valid_from": "2026-01-01",
            "deductible": "500",  # the current policy's: a lower one would need confirming
            "young_driver_rule": "higher_deductible",
            "young_driver_deductible": "800",
            "min_driver_age": "21",
            "min_licence_years": "2",
        },
    )
    assert response.status_code == 302
    assert vehicle.insurance_policies.get(is_active=True).policy_number == "NEW-1"
    response = member_client.post(
        url("tariff_add", association, pk=vehicle.pk),
        {
            "valid_from": "2099-01-01",
            "price_per_km": "0.18",
            "price_per_hour": "1",
            "daily_hour_cap": "10",
            "fuel_policy": "included",
        },
    )
    assert response.status_code == 302
    tariff = vehicle.tariffs.get(valid_from=dt.date(2099, 1, 1))
    assert (tariff.price_per_hour, tariff.daily_hour_cap) == (D("1.00"), D("10.00"))


def test_a_refused_tariff_is_a_form_error_not_a_500(member_client, association, member):
    vehicle = owned_vehicle(member)
    response = member_client.post(
        url("tariff_add", association, pk=vehicle.pk),
        {"valid_from": "2025-01-01", "price_per_km": "0.2", "fuel_policy": "included"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


# The calculator

CALCULATOR_FORM = {
    "insurance": "600",
    "roadworthiness_test": "80",
    "maintenance": "400",
    "tyres": "150",
    "tax": "0",
    "assistance": "50",
    "fuel_included": "on",
    "consumption_per_100km": "6",
    "energy_price": "1.85",
    "purchase_value": "9000",
    "depreciation_km": "150000",
    "own_km": "6000",
    "shared_km": "4000",
}


@time_machine.travel(dt.datetime(2026, 6, 10, 10, 0, tzinfo=dt.UTC), tick=False)
def test_the_calculator_proposes_the_price_with_its_breakdown(member_client, association, member):
    vehicle = owned_vehicle(member)
    response = member_client.post(
        url("calculator", association, pk=vehicle.pk), {**CALCULATOR_FORM, "action": "compute"}
    )
    assert response.status_code == 200
    assert response.context["breakdown"].total_per_km == D("0.299")
    text = response.text
    assert "0,299" in text and "<svg" in text and "<title" in text and "<desc" in text
    assert 'value="0.30"' in text  # the proposal rounded to the cent, ready to save
    assert 'value="2026-06-10"' in text
    assert "ADEME" in text


@time_machine.travel(dt.datetime(2026, 6, 10, 10, 0, tzinfo=dt.UTC), tick=False)
def test_the_owner_saves_the_rounded_price_as_a_new_tariff(member_client, association, member):
    vehicle = owned_vehicle(member)
    data = {
        **CALCULATOR_FORM,
        "action": "save",
        "chosen_price_per_km": "0.30",
        "valid_from": "2026-07-01",
    }
    response = member_client.post(url("calculator", association, pk=vehicle.pk), data)
    assert response.status_code == 302
    tariff = vehicle.tariffs.get(valid_from=dt.date(2026, 7, 1))
    assert tariff.price_per_km == D("0.300")
    assert tariff.depreciation_per_km == D("0.060")
    assert tariff.calculation["inputs"]["consumption_per_100km"] == "6"
    # the next visit starts from the saved inputs once the tariff is in force
    with time_machine.travel(dt.datetime(2026, 7, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        page = member_client.get(url("calculator", association, pk=vehicle.pk))
    assert page.context["form"].initial["purchase_value"] == "9000"


def test_a_price_above_the_costs_is_refused_on_the_page(member_client, association, member):
    vehicle = owned_vehicle(member)
    data = {
        **CALCULATOR_FORM,
        "action": "save",
        "chosen_price_per_km": "0.40",
        "valid_from": "2099-01-01",
    }
    response = member_client.post(url("calculator", association, pk=vehicle.pk), data)
    assert response.status_code == 200
    assert "sans bénéfice" in " ".join(response.context["form"].non_field_errors())
    assert not vehicle.tariffs.filter(valid_from=dt.date(2099, 1, 1)).exists()


def test_saving_needs_a_price_and_a_date(member_client, association, member):
    vehicle = owned_vehicle(member)
    response = member_client.post(
        url("calculator", association, pk=vehicle.pk), {**CALCULATOR_FORM, "action": "save"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"chosen_price_per_km", "valid_from"}
    assert vehicle.tariffs.count() == 1


def test_zero_shared_km_is_explained_on_the_page(member_client, association, member):
    vehicle = owned_vehicle(member)
    data = {**CALCULATOR_FORM, "shared_km": "0", "action": "compute"}
    response = member_client.post(url("calculator", association, pk=vehicle.pk), data)
    assert response.status_code == 200
    assert response.context["breakdown"] is None
    assert "km partagés" in " ".join(response.context["form"].non_field_errors())


def test_an_electric_car_asks_for_kwh(member_client, association, member):
    vehicle = owned_vehicle(member, energy=Vehicle.Energy.ELECTRIC)
    response = member_client.get(
        url("calculator", association, pk=vehicle.pk), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "kWh" in str(response.context["form"]["consumption_per_100km"].label)


def test_garbage_in_the_calculator_is_a_form_error(member_client, association, member):
    vehicle = owned_vehicle(member)
    data = {**CALCULATOR_FORM, "insurance": "beaucoup", "tyres": "-5", "action": "save"}
    response = member_client.post(url("calculator", association, pk=vehicle.pk), data)
    assert response.status_code == 200
    assert {"insurance", "tyres"} <= set(response.context["form"].errors)
    assert Tariff.objects.filter(vehicle=vehicle).count() == 1


def test_upcoming_tariffs_are_announced(member_client, association, admin):
    vehicle = owned_vehicle(admin)
    TariffFactory(vehicle=vehicle, valid_from=dt.date(2099, 1, 1), price_per_km=D("0.321"))
    response = member_client.get(url("detail", association, pk=vehicle.pk))
    assert "0,321" in response.text
