"""Writes of vehicles and their ownership."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core.errors import ConflictError, DomainError
from core.stored_files import atomic_with_files, save_with_files
from members.audit import record_audit
from members.models import Membership
from members.permissions import require_active, require_admin
from vehicles.models import Vehicle, VehicleOwnership
from vehicles.permissions import require_manager
from vehicles.plates import normalise_plate
from vehicles.selectors import holds_valid_licence
from vehicles.services._common import (
    assign,
    field_error,
    full_clean,
    lock,
    same_association_members,
)

# What the vehicle form and the API may set; ownership has its own service.
VEHICLE_FIELDS = (
    "name",
    "make",
    "model",
    "plate",
    "first_registered_on",
    "energy",
    "gearbox",
    "seats",
    "tank_capacity",
    "photo",
    "photo_public",
    "parking_place",
    "latitude",
    "longitude",
    "key_mode",
    "key_arrangement",
    "accessories",
    "usage_rules",
    "usual_radius_km",
    "is_active",
    "approval_required",
    "drivers_restricted",
    "min_notice_hours",
    "max_booking_hours",
    "buffer_minutes",
    "max_late_extension_hours",
)
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class OwnershipPlan:
    """Who owns a vehicle: a kind, the owner members with their shares (%), and the main
    holder of the registration certificate (a person who holds a licence)."""

    owner_kind: str
    shares: Sequence[tuple[Membership, Decimal]] = field(default_factory=tuple)
    registration_holder: Membership | None = None


def create_vehicle(
    *,
    actor: Membership,
    fields: Mapping[str, Any],
    ownership: OwnershipPlan | None = None,
    allowed_drivers: Sequence[Membership] | None = None,
) -> Vehicle:
    """Add a vehicle to the actor's association.

    A member who is not an admin becomes its only owner (and its registration holder if
    they hold a licence); only admins choose another ownership. Unless `fields` say
    otherwise, approval and notice follow the association's defaults.
    """
    require_active(actor)
    if ownership is not None:
        require_admin(actor)
    plan = ownership or _own_vehicle_plan(actor)
    vehicle = Vehicle(
        association=actor.association,
        approval_required=actor.association.approval_required_default,
        min_notice_hours=actor.association.default_notice_hours,
    )
    assign(vehicle, _normalised(fields), VEHICLE_FIELDS)
    _validate(vehicle)
    _check_plan(plan, vehicle)
    if allowed_drivers:
        same_association_members(vehicle.association_id, allowed_drivers, "allowed_drivers")
    with atomic_with_files():
        _save_new(vehicle)
        _apply_plan(vehicle, plan)
        if allowed_drivers:
            vehicle.allowed_drivers.set(allowed_drivers)
        record_audit(
            action="vehicle.created",
            actor=actor.user,
            association=vehicle.association,
            target=vehicle,
            data={"plate": vehicle.plate, "owner_kind": plan.owner_kind},
        )
    return vehicle


def update_vehicle(
    *,
    actor: Membership,
    vehicle: Vehicle,
    fields: Mapping[str, Any],
    allowed_drivers: Sequence[Membership] | None = None,
) -> Vehicle:
    """Change a vehicle's description and owner controls (owners and admins)."""
    require_manager(actor, vehicle)
    if allowed_drivers is not None:
        same_association_members(vehicle.association_id, allowed_drivers, "allowed_drivers")
    with atomic_with_files():
        locked = lock(vehicle)
        old_photo = locked.photo.name
        changed = assign(locked, _normalised(fields), VEHICLE_FIELDS)
        _validate(locked)
        if changed:
            _save_changes(locked, changed)
        if allowed_drivers is not None and _drivers_differ(locked, allowed_drivers):
            locked.allowed_drivers.set(allowed_drivers)
            changed.append("allowed_drivers")
        if changed:
            record_audit(
                action="vehicle.updated",
                actor=actor.user,
                association=locked.association,
                target=locked,
                data={"fields": changed},
            )
        if "photo" in changed and old_photo:
            _delete_file_on_commit(locked.photo.storage, old_photo)
    return locked


def set_vehicle_ownership(*, actor: Membership, vehicle: Vehicle, plan: OwnershipPlan) -> Vehicle:
    """Replace who owns the vehicle (admins only: the owners are paid back by the ledger)."""
    require_admin(actor, vehicle.association_id)
    _check_plan(plan, vehicle)
    with transaction.atomic():
        locked = lock(vehicle)
        locked.ownerships.all().delete()
        _apply_plan(locked, plan)
        record_audit(
            action="vehicle.ownership_set",
            actor=actor.user,
            association=locked.association,
            target=locked,
            data={
                "owner_kind": plan.owner_kind,
                "shares": {str(owner.pk): str(share) for owner, share in plan.shares},
                "registration_holder": plan.registration_holder.pk
                if plan.registration_holder
                else None,
            },
        )
    return locked


def _own_vehicle_plan(actor: Membership) -> OwnershipPlan:
    holder = actor if holds_valid_licence(actor) else None
    return OwnershipPlan(Vehicle.OwnerKind.MEMBER, ((actor, HUNDRED),), holder)


def _normalised(fields: Mapping[str, Any]) -> dict[str, Any]:
    values = dict(fields)
    if "plate" in values:
        try:
            values["plate"] = normalise_plate(values["plate"])
        except ValidationError as error:
            raise DomainError.from_validation(
                ValidationError({"plate": error.error_list})
            ) from None
    return values


def _validate(vehicle: Vehicle) -> None:
    exclude = ["association", "registration_holder"]
    full_clean(vehicle, exclude=exclude, validate_unique=False)
    duplicate = Vehicle.objects.filter(association_id=vehicle.association_id, plate=vehicle.plate)
    if duplicate.exclude(pk=vehicle.pk).exists():
        raise field_error(
            "plate", _("Another vehicle of the association has this plate."), "plate_taken"
        )


def _save_new(vehicle: Vehicle) -> None:
    try:
        save_with_files(vehicle)  # its own savepoint: the photo goes if the row is refused
    except IntegrityError as error:
        _raise_plate_conflict(vehicle, error)


def _save_changes(vehicle: Vehicle, changed: list[str]) -> None:
    try:
        save_with_files(vehicle, update_fields=[*changed, "updated_at"])
    except IntegrityError as error:
        _raise_plate_conflict(vehicle, error)


def _raise_plate_conflict(vehicle: Vehicle, error: IntegrityError) -> None:
    """After a refused insert: a concurrent request saved the same plate first. Any other
    integrity error is a missing validation, a bug to surface, not a conflict to report."""
    taken = Vehicle.objects.filter(association_id=vehicle.association_id, plate=vehicle.plate)
    if not taken.exclude(pk=vehicle.pk).exists():
        raise error
    raise ConflictError(
        _("Another vehicle of the association has this plate."), code="plate_taken"
    ) from None


def _drivers_differ(vehicle: Vehicle, drivers: Sequence[Membership]) -> bool:
    current = set(vehicle.allowed_drivers.values_list("pk", flat=True))
    return current != {driver.pk for driver in drivers}


def _check_plan(plan: OwnershipPlan, vehicle: Vehicle) -> None:
    owners = [owner for owner, _share in plan.shares]
    same_association_members(vehicle.association_id, owners, "shares")
    if len({owner.pk for owner in owners}) != len(owners):
        raise field_error("shares", _("Each owner appears only once."), "owner_twice")
    _check_shares(plan)
    _check_holder(plan, vehicle)


def _check_shares(plan: OwnershipPlan) -> None:
    kind = plan.owner_kind
    shares = [share for _owner, share in plan.shares]
    if kind not in Vehicle.OwnerKind.values:
        raise field_error("owner_kind", _("Choose who owns the vehicle."), "owner_kind")
    if kind == Vehicle.OwnerKind.MEMBER and (len(shares) != 1 or shares[0] != HUNDRED):
        raise field_error(
            "shares", _("A vehicle owned by a member has one owner, 100 %."), "one_owner"
        )
    if kind == Vehicle.OwnerKind.CO_OWNERS and (len(shares) < 2 or sum(shares) != HUNDRED):
        raise field_error(
            "shares",
            _("Co-owners are at least two and their shares add up to 100 %."),
            "co_owner_shares",
        )
    if any(share <= 0 for share in shares):
        raise field_error("shares", _("Each share is more than 0 %."), "share_not_positive")
    if kind in (Vehicle.OwnerKind.ASSOCIATION, Vehicle.OwnerKind.COMMUNE) and shares:
        raise field_error(
            "shares",
            _("A vehicle of the association or the commune has no owner members."),
            "collective_owner_shares",
        )


def _check_holder(plan: OwnershipPlan, vehicle: Vehicle) -> None:
    holder = plan.registration_holder
    if holder is None:
        return
    same_association_members(vehicle.association_id, [holder], "registration_holder")
    owner_ids = {owner.pk for owner, _share in plan.shares}
    if owner_ids and holder.pk not in owner_ids:
        raise field_error(
            "registration_holder",
            _("The main holder of the registration is one of the owners."),
            "holder_not_owner",
        )
    if not holds_valid_licence(holder):
        raise field_error(
            "registration_holder",
            _(
                "The main holder of the registration must hold a valid driving licence "
                "(recorded in their driver profile)."
            ),
            "holder_without_licence",
        )


def _apply_plan(vehicle: Vehicle, plan: OwnershipPlan) -> None:
    VehicleOwnership.objects.bulk_create(
        VehicleOwnership(vehicle=vehicle, owner=owner, share=share) for owner, share in plan.shares
    )
    vehicle.owner_kind = plan.owner_kind
    vehicle.registration_holder = plan.registration_holder
    vehicle.save(update_fields=["owner_kind", "registration_holder", "updated_at"])


def _delete_file_on_commit(storage: Any, name: str) -> None:
    transaction.on_commit(lambda: storage.delete(name))


__all__ = [
    "VEHICLE_FIELDS",
    "OwnershipPlan",
    "create_vehicle",
    "set_vehicle_ownership",
    "update_vehicle",
]
