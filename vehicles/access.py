"""Access functions for vehicles: 404 outside the caller's association, 403 for members who
may see a vehicle but not change it (only its owners and the admins may)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from members.models import Membership
from vehicles.models import Vehicle
from vehicles.selectors import is_owner


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
