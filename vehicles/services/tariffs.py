"""Writes of tariffs: typed in by the owner, or proposed by the calculator and rounded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core.errors import ConflictError, DomainError
from core.timeutils import local_today
from members.audit import record_audit
from members.models import Membership
from vehicles.calculator import (
    CalculatorInputs,
    calculate_price_per_km,
    calculation_record,
    check_rounded_price,
)
from vehicles.models import Tariff, Vehicle
from vehicles.permissions import require_manager
from vehicles.services._common import full_clean, lock


def create_tariff(
    *,
    actor: Membership,
    vehicle: Vehicle,
    valid_from: dt.date,
    price_per_km: Decimal,
    fuel_policy: str,
    price_per_hour: Decimal | None = None,
    daily_hour_cap: Decimal | None = None,
    depreciation_per_km: Decimal | None = None,
    calculation: dict[str, Any] | None = None,
) -> Tariff:
    """A new tariff in force from `valid_from` until the next one.

    It may not start before today (trips already driven keep their price), except the
    vehicle's first tariff, which may record the price agreed before the car joined.
    """
    require_manager(actor, vehicle)
    tariff = Tariff(
        vehicle=vehicle,
        valid_from=valid_from,
        price_per_km=price_per_km,
        fuel_policy=fuel_policy,
        price_per_hour=price_per_hour,
        daily_hour_cap=daily_hour_cap,
        depreciation_per_km=depreciation_per_km,
        calculation=calculation or {},
    )
    full_clean(tariff, exclude=["vehicle"], validate_unique=False)
    with transaction.atomic():
        locked = lock(vehicle)
        _check_start(locked, valid_from)
        tariff.vehicle = locked
        _save(tariff)
        record_audit(
            action="vehicle.tariff_created",
            actor=actor.user,
            association=locked.association,
            target=tariff,
            data={
                "vehicle": locked.pk,
                "valid_from": valid_from.isoformat(),
                "price_per_km": str(tariff.price_per_km),
                "from_calculator": bool(calculation),
            },
        )
    return tariff


def save_calculated_tariff(
    *,
    actor: Membership,
    vehicle: Vehicle,
    inputs: CalculatorInputs,
    chosen_price_per_km: Decimal,
    valid_from: dt.date,
) -> Tariff:
    """Save the calculator's proposal, as rounded by the owner, as a new tariff.

    The inputs and the breakdown go to Tariff.calculation (the ledger's no-profit check
    reads them) and the depreciation part to Tariff.depreciation_per_km.
    """
    breakdown = calculate_price_per_km(inputs)
    check_rounded_price(proposed=breakdown.total_per_km, chosen=chosen_price_per_km)
    fuel_policy = Tariff.FuelPolicy.INCLUDED if inputs.fuel_included else Tariff.FuelPolicy.REFILL
    calculation = calculation_record(
        energy=vehicle.energy, inputs=inputs, breakdown=breakdown, chosen=chosen_price_per_km
    )
    return create_tariff(
        actor=actor,
        vehicle=vehicle,
        valid_from=valid_from,
        price_per_km=chosen_price_per_km,
        fuel_policy=fuel_policy,
        depreciation_per_km=breakdown.depreciation_per_km,
        calculation=calculation,
    )


def _check_start(vehicle: Vehicle, valid_from: dt.date) -> None:
    tariffs = vehicle.tariffs.all()
    if tariffs.filter(valid_from=valid_from).exists():
        raise ConflictError(
            _("A tariff already starts on that day; choose another day."),
            code="tariff_same_day",
        )
    today = local_today(vehicle.association.tz)
    if valid_from < today and tariffs.exists():
        raise DomainError(
            _("A new tariff starts today or later: trips already driven keep their price."),
            code="tariff_in_the_past",
        )


def _save(tariff: Tariff) -> None:
    try:
        with transaction.atomic():
            tariff.save()
    except IntegrityError:  # the same day was taken by a concurrent request
        raise ConflictError(
            _("A tariff already starts on that day; choose another day."),
            code="tariff_same_day",
        ) from None
