"""Helpers shared by the fleet's services: permission checks, field assignment, locks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _

from core.errors import ForbiddenError
from members.models import Membership
from vehicles.models import Vehicle
from vehicles.selectors import is_owner


def require_active(actor: Membership) -> None:
    if not actor.is_active:
        raise ForbiddenError(
            _("Only active members of the association may do this."), code="not_active_member"
        )


def require_manager(actor: Membership, vehicle: Vehicle) -> None:
    """Owners and admins of the vehicle's association manage it; nobody else."""
    require_active(actor)
    same_association = actor.association_id == vehicle.association_id
    if not same_association or not (actor.is_admin or is_owner(actor, vehicle)):
        raise ForbiddenError(
            _("Only the vehicle's owners and the association's admins may change it."),
            code="not_vehicle_manager",
        )


def require_admin(actor: Membership) -> None:
    require_active(actor)
    if not actor.is_admin:
        raise ForbiddenError(
            _("Only the association's admins may do this."), code="not_association_admin"
        )


def assign(instance: models.Model, fields: Mapping[str, Any], allowed: Iterable[str]) -> list[str]:
    """Set the allowed fields present in `fields`; the names of those that changed."""
    allowed_names = set(allowed)
    unknown = sorted(set(fields) - allowed_names)
    if unknown:
        message = _("This field cannot be set here.")
        raise ValidationError(
            {name: ValidationError(message, code="unknown_field") for name in unknown}
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


def field_error(field: str, message: Any, code: str) -> ValidationError:
    """A refusal attached to one field, with a stable code (forms show it by the field)."""
    return ValidationError({field: ValidationError(message, code=code)})


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
