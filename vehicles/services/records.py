"""Writes of a vehicle's records: insurance policies, documents and maintenance."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from members.audit import record_audit
from members.models import Membership
from vehicles.insurance_rules import Loosening, check_loosening
from vehicles.models import InsurancePolicy, MaintenanceEvent, Vehicle, VehicleDocument
from vehicles.permissions import require_manager
from vehicles.services._common import (
    assign,
    full_clean,
    lock,
    same_association_members,
)

POLICY_FIELDS = (
    "insurer",
    "policy_number",
    "cover",
    "valid_from",
    "valid_until",
    "deductible",
    "young_driver_rule",
    "young_driver_deductible",
    "min_driver_age",
    "min_licence_years",
    "substitute_policy",
    "certificate",
)
DOCUMENT_FIELDS = ("kind", "file", "issued_on", "expires_on")
MAINTENANCE_FIELDS = (
    "date",
    "odometer",
    "kind",
    "description",
    "cost",
    "paid_by",
    "receipt",
)


def add_insurance_policy(
    *,
    actor: Membership,
    vehicle: Vehicle,
    fields: Mapping[str, Any],
    confirm_loosening: bool = False,
) -> InsurancePolicy:
    """Record the vehicle's new policy; it becomes the active one, the previous one is kept
    in the history as inactive. A policy that loosens a rule of the current one is refused
    (`rules_loosened`) unless `confirm_loosening`; a confirmed loosening is audited."""
    require_manager(actor, vehicle)
    policy = InsurancePolicy(vehicle=vehicle, is_active=True)
    assign(policy, fields, POLICY_FIELDS)
    if policy.young_driver_rule != InsurancePolicy.YoungDriverRule.HIGHER_DEDUCTIBLE:
        policy.young_driver_deductible = None  # only meaningful with that rule
    # Excluding the vehicle leaves out the "one active policy" constraint, which is
    # satisfied below by retiring the old one.
    full_clean(policy, exclude=["vehicle"])
    with transaction.atomic():
        locked = lock(vehicle)
        previous = list(locked.insurance_policies.select_for_update().filter(is_active=True))
        # Compared under the lock: the rules confirmed are those of the policy replaced.
        loosened = check_loosening(
            previous[0] if previous else None, policy, confirmed=confirm_loosening
        )
        for old in previous:
            old.is_active = False
            old.save(update_fields=["is_active"])
        policy.vehicle = locked
        policy.save()
        record_audit(
            action="vehicle.insurance_added",
            actor=actor.user,
            association=locked.association,
            target=policy,
            data={"vehicle": locked.pk, "replaces": [old.pk for old in previous]},
        )
        if loosened:
            _record_loosening(actor, policy, previous[0], loosened)
    return policy


def _record_loosening(
    actor: Membership, policy: InsurancePolicy, replaced: InsurancePolicy, loosened: list[Loosening]
) -> None:
    record_audit(
        action="vehicle.insurance_rules_loosened",
        actor=actor.user,
        association=policy.vehicle.association,
        target=policy,
        data={
            "vehicle": policy.vehicle_id,
            "replaces": replaced.pk,
            "loosened": {item.field: item.change() for item in loosened},
        },
    )


def add_vehicle_document(
    *, actor: Membership, vehicle: Vehicle, fields: Mapping[str, Any]
) -> VehicleDocument:
    """Attach a paper (registration, insurance certificate, roadworthiness test)."""
    require_manager(actor, vehicle)
    document = VehicleDocument(vehicle=vehicle)
    assign(document, fields, DOCUMENT_FIELDS)
    full_clean(document, exclude=["vehicle"])
    with transaction.atomic():
        document.vehicle = lock(vehicle)
        document.save()
        record_audit(
            action="vehicle.document_added",
            actor=actor.user,
            association=vehicle.association,
            target=document,
            data={"vehicle": vehicle.pk, "kind": document.kind},
        )
    return document


def record_maintenance(
    *, actor: Membership, vehicle: Vehicle, fields: Mapping[str, Any]
) -> MaintenanceEvent:
    """Record a service, repair or tyre change with its cost and receipt."""
    require_manager(actor, vehicle)
    event = MaintenanceEvent(vehicle=vehicle)
    assign(event, fields, MAINTENANCE_FIELDS)
    if event.paid_by is not None:
        same_association_members(vehicle.association_id, [event.paid_by], "paid_by")
    full_clean(event, exclude=["vehicle"])
    with transaction.atomic():
        event.vehicle = lock(vehicle)
        event.save()
        record_audit(
            action="vehicle.maintenance_recorded",
            actor=actor.user,
            association=vehicle.association,
            target=event,
            data={"vehicle": vehicle.pk, "kind": event.kind, "cost": str(event.cost)},
        )
    return event
