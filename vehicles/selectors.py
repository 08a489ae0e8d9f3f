"""Reads of the fleet, always starting from an association or a vehicle."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from members.models import Association, Membership
from vehicles.models import InsurancePolicy, Tariff, Vehicle, VehicleOwnership


def vehicles_of_association(association: Association) -> QuerySet[Vehicle]:
    return Vehicle.objects.filter(association=association)


def active_policy(vehicle: Vehicle) -> InsurancePolicy | None:
    """The vehicle's active insurance policy (there is at most one), valid or not."""
    return vehicle.insurance_policies.filter(is_active=True).first()


def tariff_on(vehicle: Vehicle, day: dt.date) -> Tariff | None:
    """The tariff in force on `day`: the latest one whose `valid_from` is not after it."""
    return vehicle.tariffs.filter(valid_from__lte=day).order_by("-valid_from").first()


def ownership_shares(vehicle: Vehicle) -> list[VehicleOwnership]:
    """Owner members with their shares, in a stable order (largest share first, then id).

    Empty for vehicles owned by the association or the commune.
    """
    return list(vehicle.ownerships.select_related("owner__user").order_by("-share", "owner_id"))


def is_owner(membership: Membership, vehicle: Vehicle) -> bool:
    """Whether the member owns (or co-owns) the vehicle."""
    return vehicle.ownerships.filter(owner=membership).exists()
