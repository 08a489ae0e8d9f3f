"""Reads of the corrections made to a vehicle's records (insurance policies, documents,
maintenance), from the audit trail the correcting services write: the vehicle's page shows
each record's history, the wrong value next to the corrected one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.db import models
from django.utils.dateparse import parse_date
from django.utils.formats import date_format

from core.money import format_euros
from members.models import AuditEntry, Membership
from vehicles.models import InsurancePolicy, MaintenanceEvent, Vehicle, VehicleDocument

# The audit action of each correcting service, and the record it corrects.
RECORDS: dict[str, tuple[str, type[models.Model]]] = {
    "vehicle.insurance_corrected": ("policy", InsurancePolicy),
    "vehicle.document_corrected": ("document", VehicleDocument),
    "vehicle.maintenance_corrected": ("maintenance", MaintenanceEvent),
}
PEOPLE_FIELDS = frozenset({"paid_by"})


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Correction:
    at: dt.datetime
    by: str
    changes: list[Change]


def record_corrections(vehicle: Vehicle) -> dict[str, list[Correction]]:
    """{"maintenance:<id>": [corrections, oldest first], …} for the vehicle's records."""
    entries = list(
        AuditEntry.objects.filter(
            association_id=vehicle.association_id,
            action__in=list(RECORDS),
            data__vehicle=vehicle.pk,
        )
        .select_related("actor")
        .order_by("created_at", "pk")
    )
    names = _people_names(entries)
    found: dict[str, list[Correction]] = {}
    for entry in entries:
        record, model = RECORDS[entry.action]
        changes = [
            _change(model, field, values, names)
            for field, values in entry.data.get("changes", {}).items()
        ]
        by = entry.actor.display_name if entry.actor is not None else ""
        correction = Correction(at=entry.created_at, by=by, changes=changes)
        found.setdefault(f"{record}:{entry.target_id}", []).append(correction)
    return found


def _people_names(entries: list[AuditEntry]) -> dict[int, str]:
    ids = {
        value
        for entry in entries
        for field, values in entry.data.get("changes", {}).items()
        if field in PEOPLE_FIELDS
        for value in values
        if isinstance(value, int)
    }
    members = Membership.objects.filter(pk__in=ids).select_related("user")
    return {member.pk: member.user.display_name for member in members}


def _change(
    model: type[models.Model], field: str, values: list[Any], names: dict[int, str]
) -> Change:
    model_field = cast("models.Field[Any, Any]", model._meta.get_field(field))
    old, new = (_shown(model_field, value, names) for value in values)
    return Change(label=str(model_field.verbose_name), old=old, new=new)


def _shown(field: models.Field[Any, Any], value: Any, names: dict[int, str]) -> str:
    if value is None or value == "":
        return "—"
    if field.name in PEOPLE_FIELDS:
        return names.get(value, "—")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DecimalField) and "€" in str(field.verbose_name):
        return _euros(value)
    if isinstance(field, models.DateField):
        day = parse_date(str(value))
        return date_format(day) if day else str(value)
    if isinstance(field, models.FileField):
        return str(value).rsplit("/", 1)[-1]
    return str(value)


def _euros(value: Any) -> str:
    try:
        return format_euros(Decimal(str(value)))
    except InvalidOperation:
        return str(value)
