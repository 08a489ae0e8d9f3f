"""Helpers shared by the fleet's services: field assignment, validation, locks (the
permission rule is vehicles.permissions.require_manager).

Refusals are `core.errors.DomainError`s (never Django's ValidationError): `field=` names the
input at fault, so that the form shows it there and the API answers it as a field error."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from members.models import Membership
from vehicles.models import Vehicle

# Helpers of the fleet's services; no service here.
__all__: list[str] = []


def assign(instance: models.Model, fields: Mapping[str, Any], allowed: Iterable[str]) -> list[str]:
    """Set the allowed fields present in `fields`; the names of those that changed."""
    allowed_names = set(allowed)
    unknown = sorted(set(fields) - allowed_names)
    if unknown:
        message = _("This field cannot be set here.")
        raise DomainError(
            message,
            code="unknown_field",
            field=unknown[0],
            errors={name: [str(message)] for name in unknown},
        )
    changed = []
    for name, value in fields.items():
        current = getattr(instance, name)
        if isinstance(current, FieldFile):
            value = _file_value(current, value)
            if value is None:
                continue
        elif current == value:
            continue
        setattr(instance, name, value)
        changed.append(name)
    return changed


def field_error(field: str, message: Any, code: str) -> DomainError:
    """A refusal attached to one field, with a stable code (forms show it by the field; the
    API also answers it as a field error, as when it was a ValidationError)."""
    return DomainError(message, code=code, field=field, errors={field: [str(message)]})


def full_clean(instance: models.Model, **options: Any) -> None:
    """The model's own validation; what it refuses is a DomainError on the field(s)."""
    try:
        instance.full_clean(**options)
    except ValidationError as error:
        raise DomainError.from_validation(error) from None


def lock(vehicle: Vehicle) -> Vehicle:
    """The vehicle row, locked until the end of the transaction (serialises its writers)."""
    return Vehicle.objects.select_for_update().get(pk=vehicle.pk)


def same_association_members(
    association_id: int, memberships: Iterable[Membership], field: str
) -> None:
    """Refuse members of another association or members who are not active."""
    for membership in memberships:
        if membership.association_id != association_id or not membership.is_active:
            raise field_error(
                field, _("Choose active members of this association."), "foreign_member"
            )


def _file_value(current: FieldFile, new: Any) -> Any:
    """What to store in a file field, None to leave it: a form gives a new upload, False to
    clear the file, or the current file (or None) when nothing changed."""
    if new is None or (isinstance(new, FieldFile) and new.name == current.name):
        return None
    if new is False or new == "":
        return "" if current else None
    return new
