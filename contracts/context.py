"""Plain-data contexts for printed documents, built from models.

Templates never see model instances: these builders copy what a document prints into
dicts of str, int, bool, Decimal, date and datetime (see contracts.sandbox.ensure_plain).
The keys are documented at the top of each default template (contracts/defaults/) and
shown on the template editing page. Other apps call `association_context`,
`person_context`, `vehicle_context` and `lender_context` to build the contexts of the
documents they render (handover checklist, driver-designation letter, member statement).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core.timeutils import local_today
from core.typography import de
from members.drivers import completed_years, young_driver_status
from members.models import Association, DriverProfile, Membership
from members.privacy import visible_driver_profile
from vehicles.models import InsurancePolicy, Tariff, Vehicle
from vehicles.selectors import active_policy, latest_roadworthiness, ownership_shares, tariff_on

# One printed sheet holds what one logbook page of the screen takes (bookings MAX_LOGBOOK_LINES).
LOGBOOK_ROWS = 25


def association_context(association: Association) -> dict[str, Any]:
    return {
        "name": association.name,
        "commune": association.commune,
        "postcode": association.postcode,
        "address": association.address,
        "contact_email": association.contact_email,
        "membership_fee": association.membership_fee,
        "fee_period": association.fee_period,
        "deposit_rule": association.deposit_rule,
        "deposit_amount": association.deposit_amount,
        "settlement_period": association.settlement_period,
        "expense_sharing": association.expense_sharing,
        "approval_required_default": association.approval_required_default,
        "default_notice_hours": association.default_notice_hours,
        "agreement_required": association.agreement_required,
    }


def person_context(membership: Membership | None, *, designation: bool = False) -> dict[str, Any]:
    """A member with their licence data; every value empty for None (a blank form).

    Licence data are printed only where the association may see them (pending and active
    memberships, members.privacy), except on a driver-designation letter (`designation`):
    the law obliges the association to name the driver of a past trip (Code de la route,
    L121-6), who may have left since, until the retention period purges their data."""
    if membership is None:
        return _blank_person()
    user = membership.user
    profile = _profile(membership, designation=designation)
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "full_name": user.display_name,
        "email": user.email,
        "phone": user.phone,
        "address": user.postal_address,
        "birth_date": profile.birth_date if profile else None,
        "birth_place": profile.birth_place if profile else "",
        "joined_on": membership.joined_on,
        "licence": _licence(profile),
    }


def _profile(membership: Membership, *, designation: bool) -> DriverProfile | None:
    if designation and membership.personal_data_purged_on is None:
        return DriverProfile.objects.filter(user_id=membership.user_id).first()
    return visible_driver_profile(membership)


def _licence(profile: DriverProfile | None) -> dict[str, Any]:
    return {
        "number": profile.licence_number if profile else "",
        "issued_on": profile.licence_issued_on if profile else None,
        "issued_by": profile.licence_issued_by if profile else "",
        "expires_on": profile.licence_expires_on if profile else None,
    }


def _blank_person() -> dict[str, Any]:
    return {
        "first_name": "",
        "last_name": "",
        "full_name": "",
        "email": "",
        "phone": "",
        "address": "",
        "birth_date": None,
        "birth_place": "",
        "joined_on": None,
        "licence": _licence(None),
    }


def vehicle_context(vehicle: Vehicle) -> dict[str, Any]:
    return {
        "name": vehicle.name,
        "make": vehicle.make,
        "model": vehicle.model,
        "plate": vehicle.plate,
        "first_registered_on": vehicle.first_registered_on,
        "energy": vehicle.energy,
        "gearbox": vehicle.gearbox,
        "seats": vehicle.seats,
        "parking_place": vehicle.parking_place,
        "key_mode": vehicle.key_mode,
        "key_arrangement": vehicle.key_arrangement,
        "accessories": _lines(vehicle.accessories),
        "usage_rules": _lines(vehicle.usage_rules),
        "usual_radius_km": vehicle.usual_radius_km,
        "owner_kind": vehicle.owner_kind,
        "roadworthiness": _roadworthiness(vehicle),
    }


def _lines(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


def _roadworthiness(vehicle: Vehicle) -> dict[str, Any]:
    document = latest_roadworthiness(vehicle)
    return {
        "last_on": document.issued_on if document else None,
        "valid_until": document.expires_on if document else None,
    }


def lender_context(vehicle: Vehicle, association: Association) -> dict[str, Any]:
    """Who lends the vehicle: its owner members (with shares), the association or the commune."""
    shares = ownership_shares(vehicle)
    owners: list[dict[str, Any]] = [
        {"full_name": s.owner.user.display_name, "email": s.owner.user.email, "share": s.share}
        for s in shares
    ]
    if vehicle.owner_kind == Vehicle.OwnerKind.ASSOCIATION or not owners:
        name = association.name
        if vehicle.owner_kind == Vehicle.OwnerKind.COMMUNE:
            name = association.commune
    else:
        name = " et ".join(str(owner["full_name"]) for owner in owners)
    holder = vehicle.registration_holder
    return {
        "kind": vehicle.owner_kind,
        "name": name,
        "owners": owners,
        "registration_holder": holder.user.display_name if holder else "",
    }


def holders_context(vehicle: Vehicle) -> list[dict[str, Any]]:
    """Who holds the registration certificate, with their own address, the main holder
    first: the owner member, the co-owners (co-holders), the association or the commune."""
    association = vehicle.association
    if vehicle.owner_kind == Vehicle.OwnerKind.ASSOCIATION:
        return [
            {"full_name": association.name, "address": association.address, "kind": "association"}
        ]
    if vehicle.owner_kind == Vehicle.OwnerKind.COMMUNE:
        name = f"Commune {de(association.commune)}"
        return [{"full_name": name, "address": association.commune_address, "kind": "commune"}]
    people = [share.owner for share in ownership_shares(vehicle)]
    main = vehicle.registration_holder
    if main is not None:
        people = [main, *(person for person in people if person.pk != main.pk)]
    return [
        {"full_name": m.user.display_name, "address": m.user.postal_address, "kind": "member"}
        for m in people
    ]


def insurance_context(policy: InsurancePolicy) -> dict[str, Any]:
    return {
        "insurer": policy.insurer,
        "policy_number": policy.policy_number,
        "cover": policy.cover,
        "valid_from": policy.valid_from,
        "valid_until": policy.valid_until,
        "deductible": policy.deductible,
        "young_driver_rule": policy.young_driver_rule,
        "young_driver_deductible": policy.young_driver_deductible,
        "min_driver_age": policy.min_driver_age,
        "min_licence_years": policy.min_licence_years,
        "substitute_policy": policy.substitute_policy,
    }


def tariff_context(tariff: Tariff) -> dict[str, Any]:
    return {
        "valid_from": tariff.valid_from,
        "price_per_km": tariff.price_per_km,
        "price_per_hour": tariff.price_per_hour,
        "daily_hour_cap": tariff.daily_hour_cap,
        "fuel_policy": tariff.fuel_policy,
    }


def is_young_driver(profile: DriverProfile | None, policy: InsurancePolicy, day: dt.date) -> bool:
    """Young by the vehicle's insurance (members.drivers' `counts_as_young`, the rule
    bookings' eligibility applies): younger than its minimum age, licensed for fewer than its
    minimum years, or on probation. A missing date counts as not young: the agreement prints
    the data the admin has."""
    if profile is None:
        return False
    if profile.birth_date is not None and profile.licence_issued_on is not None:
        return young_driver_status(
            birth_date=profile.birth_date,
            licence_issued_on=profile.licence_issued_on,
            accompanied_driving=profile.accompanied_driving,
            post_licence_training=profile.post_licence_training,
            on=day,
            min_age=policy.min_driver_age,
            min_licence_years=policy.min_licence_years,
        ).counts_as_young
    too_young = profile.birth_date is not None and (
        completed_years(profile.birth_date, day) < policy.min_driver_age
    )
    too_new = profile.licence_issued_on is not None and (
        completed_years(profile.licence_issued_on, day) < policy.min_licence_years
    )
    return too_young or too_new


def applicable_deductible(policy: InsurancePolicy, *, young_driver: bool) -> Decimal:
    higher = policy.young_driver_rule == InsurancePolicy.YoungDriverRule.HIGHER_DEDUCTIBLE
    if young_driver and higher and policy.young_driver_deductible is not None:
        return policy.young_driver_deductible
    return policy.deductible


def deposit_context(association: Association, deductible: Decimal) -> dict[str, Any]:
    """The deposit cheque: never below the deductible the driver risks (ADETEC rule)."""
    rule = association.deposit_rule
    if rule == Association.DepositRule.NONE:
        return {"required": False, "amount": Decimal("0.00")}
    if rule == Association.DepositRule.FIXED:
        return {"required": True, "amount": max(association.deposit_amount, deductible)}
    return {"required": True, "amount": deductible}


def agreement_terms(
    policy: InsurancePolicy | None, tariff: Tariff | None, vehicle: Vehicle
) -> dict[str, Any]:
    """What an agreement commits to and must be re-signed for when it changes (JSON).

    A part is None when the vehicle has no active insurance or no tariff in force.
    """
    return {
        "deductible": _deductible_terms(policy) if policy else None,
        "insurance": _insurance_terms(policy) if policy else None,
        "tariff": _tariff_terms(tariff) if tariff else None,
        "key_option": vehicle.key_mode,
    }


def _deductible_terms(policy: InsurancePolicy) -> dict[str, Any]:
    return {
        "deductible": _text(policy.deductible),
        "young_driver_rule": policy.young_driver_rule,
        "young_driver_deductible": _text(policy.young_driver_deductible),
    }


def _insurance_terms(policy: InsurancePolicy) -> dict[str, Any]:
    return {
        "insurer": policy.insurer,
        "policy_number": policy.policy_number,
        "cover": policy.cover,
        "substitute_policy": policy.substitute_policy,
    }


def _tariff_terms(tariff: Tariff) -> dict[str, Any]:
    return {
        "price_per_km": _text(tariff.price_per_km, places=3),
        "price_per_hour": _text(tariff.price_per_hour),
        "daily_hour_cap": _text(tariff.daily_hour_cap),
        "fuel_policy": tariff.fuel_policy,
    }


def _text(value: Decimal | None, *, places: int = 2) -> str | None:
    """A fixed number of decimals, so that 500 and 500.00 compare equal."""
    return None if value is None else f"{Decimal(value):.{places}f}"


@dataclass(frozen=True)
class AgreementData:
    """The context an agreement prints and the terms it commits to."""

    context: dict[str, Any]
    terms: dict[str, Any]
    driver_is_owner: bool


class MissingAgreementData(Exception):
    """The vehicle has no active insurance or no tariff in force (`what` says which)."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def agreement_data(*, vehicle: Vehicle, driver: Membership) -> AgreementData:
    association = vehicle.association
    today = local_today(association.tz)
    policy = active_policy(vehicle)
    if policy is None:
        raise MissingAgreementData("insurance")
    tariff = tariff_on(vehicle, today)
    if tariff is None:
        raise MissingAgreementData("tariff")
    lender = lender_context(vehicle, association)
    driver_is_owner = any(o.owner_id == driver.pk for o in ownership_shares(vehicle))
    profile = DriverProfile.objects.filter(user=driver.user).first()
    young = is_young_driver(profile, policy, today)
    deductible = applicable_deductible(policy, young_driver=young)
    person = person_context(driver) | {"is_owner": driver_is_owner, "young_driver": young}
    context = {
        "vehicle": vehicle_context(vehicle),
        "lender": lender,
        "driver": person,
        "insurance": insurance_context(policy),
        "deductible": deductible,
        "tariff": tariff_context(tariff),
        "deposit": deposit_context(association, deductible),
    }
    return AgreementData(context, agreement_terms(policy, tariff, vehicle), driver_is_owner)


def membership_form_context(membership: Membership | None) -> dict[str, Any]:
    return {"member": person_context(membership)}


def logbook_context(vehicle: Vehicle, *, rows: int = LOGBOOK_ROWS) -> dict[str, Any]:
    tariff = tariff_on(vehicle, local_today(vehicle.association.tz))
    return {
        "vehicle": vehicle_context(vehicle),
        "lender": lender_context(vehicle, vehicle.association),
        "tariff": tariff_context(tariff) if tariff else None,
        "rows": rows,
    }
