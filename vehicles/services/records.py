"""Writes of a vehicle's records: insurance policies, documents and maintenance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from core.stored_files import atomic_with_files, save_with_files, store_file
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
    with atomic_with_files():
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
        save_with_files(policy)
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
    with atomic_with_files():
        document.vehicle = lock(vehicle)
        save_with_files(document)
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
    with atomic_with_files():
        event.vehicle = lock(vehicle)
        save_with_files(event)
        record_audit(
            action="vehicle.maintenance_recorded",
            actor=actor.user,
            association=vehicle.association,
            target=event,
            data={"vehicle": vehicle.pk, "kind": event.kind, "cost": str(event.cost)},
        )
    return event


# Corrections: the record is edited in place (the history keeps the old values in the
# audit trail), instead of a second record typed next to the wrong one.


def correct_insurance_policy(
    *,
    actor: Membership,
    policy: InsurancePolicy,
    fields: Mapping[str, Any],
    confirm_loosening: bool = False,
) -> InsurancePolicy:
    """Correct a typo in a policy (its number, dates, rules); it stays active or not as it
    was. Loosening one of its own rules needs `confirm_loosening`, as a renewal does."""
    require_manager(actor, policy.vehicle)
    with atomic_with_files():
        locked = InsurancePolicy.objects.select_for_update().get(pk=policy.pk)
        before = InsurancePolicy.objects.get(pk=policy.pk)
        changed = assign(locked, fields, POLICY_FIELDS)
        if locked.young_driver_rule != InsurancePolicy.YoungDriverRule.HIGHER_DEDUCTIBLE:
            locked.young_driver_deductible = None
            changed.append("young_driver_deductible")
        full_clean(locked)
        loosened = check_loosening(before, locked, confirmed=confirm_loosening)
        changes = _changes(before, locked, changed)
        if changes:
            _save_fields(locked, changes)
            _audit_correction("vehicle.insurance_corrected", actor, locked, changes)
        if loosened:
            _record_loosening(actor, locked, before, loosened)
    return locked


def correct_vehicle_document(
    *, actor: Membership, document: VehicleDocument, fields: Mapping[str, Any]
) -> VehicleDocument:
    """Correct a paper's kind, dates or file."""
    require_manager(actor, document.vehicle)
    with atomic_with_files():
        locked = VehicleDocument.objects.select_for_update().get(pk=document.pk)
        before = VehicleDocument.objects.get(pk=document.pk)
        changed = assign(locked, fields, DOCUMENT_FIELDS)
        full_clean(locked)
        changes = _changes(before, locked, changed)
        if changes:
            _save_fields(locked, changes)
            _audit_correction("vehicle.document_corrected", actor, locked, changes)
    return locked


def correct_maintenance(
    *, actor: Membership, event: MaintenanceEvent, fields: Mapping[str, Any]
) -> dict[str, list[Any]]:
    """Correct a maintenance event in place; {field: [old, new]} of what changed (audited
    as `vehicle.maintenance_corrected`). Its ledger entry is the ledger's business: the
    ledger's correction service calls this one, then reverses and posts again."""
    require_manager(actor, event.vehicle)
    with atomic_with_files():
        locked = MaintenanceEvent.objects.select_for_update().get(pk=event.pk)
        before = MaintenanceEvent.objects.get(pk=event.pk)
        changed = assign(locked, fields, MAINTENANCE_FIELDS)
        if locked.paid_by is not None:
            same_association_members(locked.vehicle.association_id, [locked.paid_by], "paid_by")
        full_clean(locked)
        changes = _changes(before, locked, changed)
        if changes:
            _save_fields(locked, changes)
            _audit_correction("vehicle.maintenance_corrected", actor, locked, changes)
    for name in changes:
        setattr(event, name, getattr(locked, name))
    return changes


def _save_fields(instance: Any, changes: dict[str, list[Any]]) -> None:
    """Store new files (their stored names go to `changes`), then write the fields with one
    UPDATE: no model signal fires, the apps above (the ledger) act through their own
    explicit services."""
    names = sorted(changes)
    for name in names:
        value = getattr(instance, name)
        if isinstance(value, FieldFile) and value and not getattr(value, "_committed", True):
            store_file(value, value.name or "", value.file)
            changes[name][1] = value.name
    type(instance).objects.filter(pk=instance.pk).update(
        **{name: getattr(instance, name) for name in names}
    )


def _changes(before: Any, after: Any, names: list[str]) -> dict[str, list[Any]]:
    """{field: [old, new]} as JSON values, for the fields whose value really changed."""
    found = {}
    for name in dict.fromkeys(names):
        old, new = _json_value(getattr(before, name)), _json_value(getattr(after, name))
        if old != new:
            found[name] = [old, new]
    return found


def _json_value(value: Any) -> Any:
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal | dt.date):
        return str(value)
    return value


def _audit_correction(
    action: str, actor: Membership, target: Any, changes: dict[str, list[Any]]
) -> None:
    record_audit(
        action=action,
        actor=actor.user,
        association=target.vehicle.association,
        target=target,
        data={"vehicle": target.vehicle_id, "changes": changes},
    )
