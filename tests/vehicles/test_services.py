import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from core.errors import ConflictError, DomainError, ForbiddenError
from members.models import AuditEntry, Membership
from tests.factories.members import DriverProfileFactory, MembershipFactory
from tests.factories.vehicles import (
    TariffFactory,
    VehicleFactory,
    owned_vehicle,
    pdf_upload,
    png_upload,
)
from tests.vehicles.test_calculator import ISSUE_CASE
from vehicles import services
from vehicles.models import InsurancePolicy, Tariff, Vehicle
from vehicles.services import OwnershipPlan

pytestmark = pytest.mark.django_db
D = Decimal

CAR = {"name": "Clio", "make": "Renault", "model": "Clio", "plate": "ab 123 cd", "energy": "petrol"}


def test_a_member_who_adds_a_car_becomes_its_owner_and_registration_holder(member):
    vehicle = services.create_vehicle(actor=member, fields=CAR)
    assert vehicle.plate == "AB-123-CD"
    assert vehicle.owner_kind == Vehicle.OwnerKind.MEMBER
    assert [(s.owner, s.share) for s in vehicle.ownerships.all()] == [(member, D("100.00"))]
    assert vehicle.registration_holder == member
    entry = AuditEntry.objects.get(action="vehicle.created")
    assert entry.actor == member.user
    assert entry.target_id == str(vehicle.pk)


def test_approval_follows_the_association_default_unless_given(member, association):
    association.approval_required_default = True
    association.save()
    assert services.create_vehicle(actor=member, fields=CAR).approval_required
    other = {**CAR, "plate": "AB-124-CD", "approval_required": False}
    assert not services.create_vehicle(actor=member, fields=other).approval_required


def test_a_member_without_a_licence_owns_the_car_but_does_not_hold_its_registration(association):
    no_licence = MembershipFactory(association=association)
    vehicle = services.create_vehicle(actor=no_licence, fields=CAR)
    assert vehicle.registration_holder is None
    assert vehicle.ownerships.get().owner == no_licence


def test_only_admins_choose_another_ownership(member):
    plan = OwnershipPlan(owner_kind=Vehicle.OwnerKind.ASSOCIATION)
    with pytest.raises(ForbiddenError):
        services.create_vehicle(actor=member, fields=CAR, ownership=plan)
    assert not Vehicle.objects.exists()


def test_an_admin_creates_a_co_owned_car(admin, member, association):
    other = MembershipFactory(association=association)
    plan = OwnershipPlan(
        owner_kind=Vehicle.OwnerKind.CO_OWNERS,
        shares=((member, D("50")), (other, D("50"))),
        registration_holder=member,
    )
    vehicle = services.create_vehicle(actor=admin, fields=CAR, ownership=plan)
    assert vehicle.owner_kind == Vehicle.OwnerKind.CO_OWNERS
    assert sorted(s.owner_id for s in vehicle.ownerships.all()) == sorted([member.pk, other.pk])


def codes(error):
    """The stable code of a refusal and the field it names, whatever the language."""
    assert isinstance(error, DomainError) and error.field in error.field_errors
    return [error.code]


@pytest.mark.parametrize(
    ("kind", "shares", "code"),
    [
        ("member", [("member", "60")], "one_owner"),
        ("member", [], "one_owner"),
        ("co_owners", [("member", "50"), ("other", "40")], "co_owner_shares"),
        ("co_owners", [("member", "100")], "co_owner_shares"),
        ("association", [("member", "100")], "collective_owner_shares"),
        ("commune", [("member", "100")], "collective_owner_shares"),
        ("co_owners", [("member", "50"), ("member", "50")], "owner_twice"),
        ("co_owners", [("member", "50"), ("outsider", "50")], "foreign_member"),
        ("garage", [], "owner_kind"),
    ],
)
def test_an_inconsistent_ownership_is_refused(admin, member, outsider, kind, shares, code):
    people = {
        "member": member,
        "outsider": outsider,
        "other": MembershipFactory(association=member.association),
    }
    plan = OwnershipPlan(kind, tuple((people[who], D(share)) for who, share in shares))
    with pytest.raises(DomainError) as caught:
        services.create_vehicle(actor=admin, fields=CAR, ownership=plan)
    assert codes(caught.value) == [code]
    assert not Vehicle.objects.exists()


def test_the_registration_holder_must_hold_a_valid_licence(admin, association):
    no_licence = MembershipFactory(association=association)
    expired = MembershipFactory(association=association)
    DriverProfileFactory(user=expired.user, licence_expires_on=dt.date(2020, 1, 1))
    for holder in (no_licence, expired):
        plan = OwnershipPlan(Vehicle.OwnerKind.MEMBER, ((holder, D("100")),), holder)
        with pytest.raises(DomainError) as caught:
            services.create_vehicle(actor=admin, fields=CAR, ownership=plan)
        assert codes(caught.value) == ["holder_without_licence"]


def test_the_registration_holder_of_an_owned_car_is_an_owner(admin, member):
    plan = OwnershipPlan(Vehicle.OwnerKind.MEMBER, ((member, D("100")),), admin)
    with pytest.raises(DomainError) as caught:
        services.create_vehicle(actor=admin, fields=CAR, ownership=plan)
    assert codes(caught.value) == ["holder_not_owner"]


def test_a_commune_car_may_name_a_licensed_admin_as_holder(admin):
    plan = OwnershipPlan(Vehicle.OwnerKind.COMMUNE, (), admin)
    vehicle = services.create_vehicle(actor=admin, fields=CAR, ownership=plan)
    assert vehicle.registration_holder == admin
    assert not vehicle.ownerships.exists()


def test_a_plate_is_unique_in_the_association_whatever_its_spelling(member, admin):
    services.create_vehicle(actor=member, fields=CAR)
    with pytest.raises(DomainError) as caught:
        services.create_vehicle(actor=admin, fields={**CAR, "plate": "AB123CD"})
    assert codes(caught.value) == ["plate_taken"]
    assert Vehicle.objects.count() == 1


def test_the_same_plate_may_be_in_two_associations(member, outsider):
    services.create_vehicle(actor=member, fields=CAR)
    services.create_vehicle(actor=outsider, fields=CAR)
    assert Vehicle.objects.count() == 2


def test_an_invalid_plate_is_a_field_error(member):
    with pytest.raises(DomainError) as caught:
        services.create_vehicle(actor=member, fields={**CAR, "plate": "SS-123-AB"})
    assert (caught.value.field, caught.value.code) == ("plate", "plate_forbidden_pair")


def test_a_spare_key_needs_its_arrangement_described(member):
    with pytest.raises(DomainError) as caught:
        services.create_vehicle(actor=member, fields={**CAR, "key_mode": "spare"})
    assert "key_arrangement" in caught.value.field_errors


def test_fields_outside_the_form_cannot_be_set(member, other_association):
    with pytest.raises(DomainError) as caught:
        services.create_vehicle(actor=member, fields={**CAR, "association": other_association})
    assert codes(caught.value) == ["unknown_field"]


def test_the_owner_updates_the_car_and_its_allowed_drivers(member, association):
    vehicle = owned_vehicle(member)
    friend = MembershipFactory(association=association)
    updated = services.update_vehicle(
        actor=member,
        vehicle=vehicle,
        fields={"approval_required": True, "drivers_restricted": True, "min_notice_hours": 24},
        allowed_drivers=[friend],
    )
    assert updated.approval_required and updated.min_notice_hours == 24
    assert list(updated.allowed_drivers.all()) == [friend]
    entry = AuditEntry.objects.get(action="vehicle.updated")
    assert set(entry.data["fields"]) == {
        "approval_required",
        "drivers_restricted",
        "min_notice_hours",
        "allowed_drivers",
    }


def test_allowed_drivers_come_from_the_association(member, outsider):
    vehicle = owned_vehicle(member)
    with pytest.raises(DomainError):
        services.update_vehicle(
            actor=member, vehicle=vehicle, fields={}, allowed_drivers=[outsider]
        )


def test_another_member_cannot_update_the_car(member, association):
    vehicle = owned_vehicle(member)
    someone = MembershipFactory(association=association)
    with pytest.raises(ForbiddenError):
        services.update_vehicle(actor=someone, vehicle=vehicle, fields={"name": "Mine"})
    vehicle.refresh_from_db()
    assert vehicle.name != "Mine"


def test_an_admin_of_another_association_cannot_update_the_car(member, other_association):
    vehicle = owned_vehicle(member)
    foreign_admin = MembershipFactory(association=other_association, role=Membership.Role.ADMIN)
    with pytest.raises(ForbiddenError):
        services.update_vehicle(actor=foreign_admin, vehicle=vehicle, fields={"name": "Mine"})


def test_refusals_have_the_shared_codes(admin, member, association, other_association):
    vehicle = owned_vehicle(member)
    plan = OwnershipPlan(Vehicle.OwnerKind.ASSOCIATION)
    foreign_admin = MembershipFactory(association=other_association, role=Membership.Role.ADMIN)
    suspended = MembershipFactory(association=association, status=Membership.Status.SUSPENDED)
    someone = MembershipFactory(association=association)
    refusals = [
        (lambda: services.set_vehicle_ownership(actor=member, vehicle=vehicle, plan=plan),
         "forbidden"),
        (lambda: services.set_vehicle_ownership(actor=foreign_admin, vehicle=vehicle, plan=plan),
         "foreign"),
        (lambda: services.create_vehicle(actor=suspended, fields=CAR), "not_active_member"),
        (lambda: services.create_vehicle(actor=member, fields=CAR, ownership=plan), "forbidden"),
        (lambda: services.update_vehicle(actor=foreign_admin, vehicle=vehicle, fields={}),
         "foreign"),
        (lambda: services.update_vehicle(actor=someone, vehicle=vehicle, fields={}),
         "forbidden"),
    ]  # fmt: skip
    for call, code in refusals:
        with pytest.raises(ForbiddenError) as refused:
            call()
        assert refused.value.code == code
    assert Vehicle.objects.count() == 1


def test_a_model_validation_refusal_names_every_field_at_fault(member):
    fields = {**CAR, "key_mode": "spare", "seats": 0}
    with pytest.raises(DomainError) as caught:
        services.create_vehicle(actor=member, fields=fields)
    assert {"key_arrangement", "seats"} <= set(caught.value.field_errors)
    assert caught.value.field in caught.value.field_errors


def test_a_replaced_photo_is_deleted_after_commit(member, django_capture_on_commit_callbacks):
    vehicle = owned_vehicle(member, photo=png_upload())
    old = vehicle.photo.name
    storage = vehicle.photo.storage
    with django_capture_on_commit_callbacks(execute=True):
        services.update_vehicle(actor=member, vehicle=vehicle, fields={"photo": png_upload()})
    vehicle.refresh_from_db()
    assert vehicle.photo.name != old
    assert not storage.exists(old)
    assert storage.exists(vehicle.photo.name)


def test_a_pdf_is_not_a_photo(member):
    vehicle = owned_vehicle(member)
    with pytest.raises(DomainError) as caught:
        services.update_vehicle(actor=member, vehicle=vehicle, fields={"photo": pdf_upload()})
    assert "photo" in caught.value.field_errors


def test_set_ownership_is_for_admins(admin, member, association):
    vehicle = owned_vehicle(member)
    plan = OwnershipPlan(Vehicle.OwnerKind.ASSOCIATION)
    with pytest.raises(ForbiddenError):
        services.set_vehicle_ownership(actor=member, vehicle=vehicle, plan=plan)
    services.set_vehicle_ownership(actor=admin, vehicle=vehicle, plan=plan)
    vehicle.refresh_from_db()
    assert vehicle.owner_kind == Vehicle.OwnerKind.ASSOCIATION
    assert not vehicle.ownerships.exists()
    assert vehicle.registration_holder is None


# Insurance, documents, maintenance


POLICY = {
    "insurer": "MAIF",
    "policy_number": "N-1",
    "cover": "comprehensive",
    "valid_from": dt.date(2026, 1, 1),
    "valid_until": dt.date(2026, 12, 31),
    "deductible": D("500"),
    "young_driver_rule": "forbidden",
    "min_driver_age": 21,
    "min_licence_years": 2,
}


def test_a_new_policy_becomes_the_active_one_and_the_old_one_is_kept(member):
    vehicle = owned_vehicle(member)
    old = vehicle.insurance_policies.get()
    new = services.add_insurance_policy(actor=member, vehicle=vehicle, fields=POLICY)
    old.refresh_from_db()
    assert new.is_active and not old.is_active
    assert vehicle.insurance_policies.count() == 2
    assert InsurancePolicy.objects.filter(vehicle=vehicle, is_active=True).get() == new


def test_a_higher_young_driver_deductible_must_be_higher(member):
    vehicle = owned_vehicle(member)
    fields = {
        **POLICY,
        "young_driver_rule": "higher_deductible",
        "young_driver_deductible": D("400"),
    }
    with pytest.raises(DomainError) as caught:
        services.add_insurance_policy(actor=member, vehicle=vehicle, fields=fields)
    assert "young_driver_deductible" in caught.value.field_errors
    assert vehicle.insurance_policies.filter(is_active=True).count() == 1


def test_the_young_driver_deductible_is_dropped_unless_the_rule_uses_it(member):
    vehicle = owned_vehicle(member)
    fields = {**POLICY, "young_driver_rule": "allowed", "young_driver_deductible": D("900")}
    policy = services.add_insurance_policy(actor=member, vehicle=vehicle, fields=fields)
    assert policy.young_driver_deductible is None


def test_a_policy_cannot_end_before_it_starts(member):
    vehicle = owned_vehicle(member)
    fields = {**POLICY, "valid_until": dt.date(2025, 12, 31)}
    with pytest.raises(DomainError):
        services.add_insurance_policy(actor=member, vehicle=vehicle, fields=fields)


def test_a_roadworthiness_document_needs_its_next_due_date(member):
    vehicle = owned_vehicle(member)
    with pytest.raises(DomainError) as caught:
        services.add_vehicle_document(
            actor=member, vehicle=vehicle, fields={"kind": "roadworthiness"}
        )
    assert "expires_on" in caught.value.field_errors


def test_maintenance_is_recorded_with_its_payer(member):
    vehicle = owned_vehicle(member)
    event = services.record_maintenance(
        actor=member,
        vehicle=vehicle,
        fields={
            "date": dt.date(2026, 2, 1),
            "kind": "service",
            "cost": D("189.90"),
            "paid_by": member,
        },
    )
    assert event.cost == D("189.90")
    assert AuditEntry.objects.get(action="vehicle.maintenance_recorded").data["cost"] == "189.90"


def test_maintenance_paid_by_an_outsider_is_refused(member, outsider):
    vehicle = owned_vehicle(member)
    with pytest.raises(DomainError):
        services.record_maintenance(
            actor=member,
            vehicle=vehicle,
            fields={
                "date": dt.date(2026, 2, 1),
                "kind": "service",
                "cost": D("1"),
                "paid_by": outsider,
            },
        )


# Tariffs


@time_machine.travel(dt.datetime(2026, 6, 10, 12, 0, tzinfo=dt.UTC), tick=False)
def test_a_tariff_starts_today_or_later_once_the_car_has_one(member):
    vehicle = owned_vehicle(member)  # its tariff started on 1 January 2025
    with pytest.raises(DomainError) as caught:
        services.create_tariff(
            actor=member,
            vehicle=vehicle,
            valid_from=dt.date(2026, 6, 9),
            price_per_km=D("0.25"),
            fuel_policy="included",
        )
    assert caught.value.code == "tariff_in_the_past"
    tariff = services.create_tariff(
        actor=member,
        vehicle=vehicle,
        valid_from=dt.date(2026, 6, 10),
        price_per_km=D("0.25"),
        fuel_policy="refill",
    )
    assert tariff.price_per_km == D("0.25")


@time_machine.travel(dt.datetime(2026, 6, 10, 12, 0, tzinfo=dt.UTC), tick=False)
def test_the_first_tariff_may_start_in_the_past(member):
    vehicle = VehicleFactory(association=member.association)
    vehicle.ownerships.create(owner=member, share=D("100"))
    services.create_tariff(
        actor=member,
        vehicle=vehicle,
        valid_from=dt.date(2025, 1, 1),
        price_per_km=D("0.3"),
        fuel_policy="included",
    )
    assert vehicle.tariffs.count() == 1


def test_two_tariffs_cannot_start_the_same_day(member):
    vehicle = owned_vehicle(member)
    day = dt.date(2030, 1, 1)
    TariffFactory(vehicle=vehicle, valid_from=day)
    with pytest.raises(ConflictError):
        services.create_tariff(
            actor=member,
            vehicle=vehicle,
            valid_from=day,
            price_per_km=D("0.2"),
            fuel_policy="included",
        )


def test_a_daily_cap_needs_an_hourly_price(member):
    vehicle = owned_vehicle(member)
    with pytest.raises(DomainError) as caught:
        services.create_tariff(
            actor=member,
            vehicle=vehicle,
            valid_from=dt.date(2030, 1, 1),
            price_per_km=D("0.18"),
            fuel_policy="included",
            daily_hour_cap=D("10"),
        )
    assert "daily_hour_cap" in caught.value.field_errors


def test_the_calculated_tariff_keeps_its_inputs_and_depreciation(member):
    vehicle = owned_vehicle(member)
    tariff = services.save_calculated_tariff(
        actor=member,
        vehicle=vehicle,
        inputs=ISSUE_CASE,
        chosen_price_per_km=D("0.30"),
        valid_from=dt.date(2030, 1, 1),
    )
    tariff.refresh_from_db()
    assert tariff.price_per_km == D("0.300")
    assert tariff.depreciation_per_km == D("0.060")
    assert tariff.fuel_policy == Tariff.FuelPolicy.INCLUDED
    assert tariff.calculation["result"]["total_per_km"] == "0.299"
    assert tariff.calculation["inputs"]["shared_km"] == "4000"
    assert AuditEntry.objects.get(action="vehicle.tariff_created").data["from_calculator"] is True


def test_a_calculated_price_rounded_up_too_much_is_refused(member):
    vehicle = owned_vehicle(member)
    with pytest.raises(DomainError) as caught:
        services.save_calculated_tariff(
            actor=member,
            vehicle=vehicle,
            inputs=ISSUE_CASE,
            chosen_price_per_km=D("0.35"),
            valid_from=dt.date(2030, 1, 1),
        )
    assert caught.value.code == "price_above_costs"
    assert vehicle.tariffs.count() == 1
