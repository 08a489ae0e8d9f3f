"""Access functions for vehicles: 404 outside the caller's association, 403 for members who
may see a vehicle but not change it (only its owners and the admins may)."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from members.models import Membership
from vehicles.models import InsurancePolicy, MaintenanceEvent, Vehicle, VehicleDocument
from vehicles.selectors import is_owner

Child = TypeVar("Child", bound=Model)


def get_vehicle_for_member(membership: Membership, pk: int) -> Vehicle:
    """A vehicle of the member's association, or 404."""
    vehicle = Vehicle.objects.filter(association_id=membership.association_id, pk=pk).first()
    if vehicle is None:
        raise Http404
    return vehicle


def can_manage_vehicle(membership: Membership, vehicle: Vehicle) -> bool:
    return membership.is_admin or is_owner(membership, vehicle)


def get_vehicle_for_manager(membership: Membership, pk: int) -> Vehicle:
    """A vehicle the member owns or administers; 404 outside the association, else 403."""
    vehicle = get_vehicle_for_member(membership, pk)
    if not can_manage_vehicle(membership, vehicle):
        raise PermissionDenied
    return vehicle


def get_policy_for_manager(membership: Membership, vehicle_pk: int, pk: int) -> InsurancePolicy:
    """A policy of a vehicle the member manages; 404 / 403 as for the vehicle."""
    vehicle = get_vehicle_for_manager(membership, vehicle_pk)
    return _child_or_404(InsurancePolicy.objects.filter(vehicle=vehicle, pk=pk))


def get_document_for_manager(membership: Membership, vehicle_pk: int, pk: int) -> VehicleDocument:
    """A document of a vehicle the member manages; 404 / 403 as for the vehicle."""
    vehicle = get_vehicle_for_manager(membership, vehicle_pk)
    return _child_or_404(VehicleDocument.objects.filter(vehicle=vehicle, pk=pk))


def get_maintenance_for_manager(
    membership: Membership, vehicle_pk: int, pk: int
) -> MaintenanceEvent:
    """A maintenance event of a vehicle the member manages; 404 / 403 as for the vehicle."""
    vehicle = get_vehicle_for_manager(membership, vehicle_pk)
    return _child_or_404(MaintenanceEvent.objects.filter(vehicle=vehicle, pk=pk))


def _child_or_404(queryset: QuerySet[Child]) -> Child:
    found = queryset.first()
    if found is None:
        raise Http404
    return found
