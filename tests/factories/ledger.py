"""Vehicles of each ownership kind with a tariff, for ledger tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from members.models import Association
from members.permissions import SystemActor
from tests.factories.members import MembershipFactory
from tests.factories.vehicles import (
    InsurancePolicyFactory,
    TariffFactory,
    VehicleFactory,
    VehicleOwnershipFactory,
)
from vehicles.models import Tariff, Vehicle


def tariffed_vehicle(
    association,
    *,
    owners=(),
    owner_kind=Vehicle.OwnerKind.MEMBER,
    price_per_km="0.300",
    price_per_hour=None,
    daily_hour_cap=None,
    fuel_policy=Tariff.FuelPolicy.INCLUDED,
    depreciation_per_km=None,
    valid_from=dt.date(2025, 1, 1),
    **kwargs,
) -> Vehicle:
    """A vehicle with its owners (membership, share) and one tariff."""
    if len(owners) > 1:
        owner_kind = Vehicle.OwnerKind.CO_OWNERS
    vehicle = VehicleFactory(association=association, owner_kind=owner_kind, **kwargs)
    for owner, share in owners:
        VehicleOwnershipFactory(vehicle=vehicle, owner=owner, share=Decimal(str(share)))
    InsurancePolicyFactory(vehicle=vehicle)
    TariffFactory(
        vehicle=vehicle,
        valid_from=valid_from,
        price_per_km=Decimal(price_per_km),
        price_per_hour=Decimal(price_per_hour) if price_per_hour is not None else None,
        daily_hour_cap=Decimal(daily_hour_cap) if daily_hour_cap is not None else None,
        fuel_policy=fuel_policy,
        depreciation_per_km=(
            Decimal(depreciation_per_km) if depreciation_per_km is not None else None
        ),
    )
    return vehicle


def members_of(association, count: int, **kwargs):
    return [MembershipFactory(association=association, **kwargs) for _ in range(count)]


def platform(of: Any) -> SystemActor:
    """The platform acting for the association of `of` (an association, or a row of it):
    the actor of ledger writes that no person makes in a test's arrangement."""
    if isinstance(of, Association):
        return SystemActor(of, "test")
    association = getattr(of, "association", None)
    if association is None:  # a maintenance event
        association = of.vehicle.association
    return SystemActor(association, "test")
