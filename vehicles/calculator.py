"""The ADETEC price per km, as a pure function (DESIGN.md, "Price per km").

    price per km = fuel per km (only when fuel is included in the price)
                 + yearly fixed costs / (owner's km + shared km per year)
                 + purchase value / km to full depreciation

Each part is rounded half-up to 3 decimals (0.001 €/km) and the total is the sum of the
rounded parts, so that the breakdown shown to people always adds up to the price.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

MILLI = Decimal("0.001")
ZERO = Decimal("0")
HUNDRED = Decimal("100")
# The owner may round the proposal up by at most this much (0.299 → 0.30 or 0.305, not 0.35):
# beyond it, the price would cover more than the costs (ADEME criterion 6, no profit).
MAX_ROUNDING_UP = Decimal("0.010")
METHOD = "adetec"
VERSION = 1


@dataclass(frozen=True)
class CalculatorInputs:
    """What the owner enters; money in €, distances in km, per year unless stated."""

    insurance: Decimal
    roadworthiness_test: Decimal
    maintenance: Decimal
    tyres: Decimal
    tax: Decimal
    assistance: Decimal
    fuel_included: bool
    consumption_per_100km: Decimal  # litres, or kWh for an electric car
    energy_price: Decimal  # € per litre, or € per kWh
    purchase_value: Decimal
    depreciation_km: Decimal  # km after which the car is worth nothing
    own_km: Decimal
    shared_km: Decimal

    @property
    def yearly_fixed_costs(self) -> Decimal:
        return (
            self.insurance
            + self.roadworthiness_test
            + self.maintenance
            + self.tyres
            + self.tax
            + self.assistance
        )

    @property
    def expected_km(self) -> Decimal:
        return self.own_km + self.shared_km

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values (decimal strings), as stored in Tariff.calculation."""
        return {key: _json(value) for key, value in asdict(self).items()}


@dataclass(frozen=True)
class PriceBreakdown:
    """The proposed price per km and its three parts, in € per km (3 decimals)."""

    fuel_per_km: Decimal
    fixed_costs_per_km: Decimal
    depreciation_per_km: Decimal
    total_per_km: Decimal

    def as_json(self) -> dict[str, str]:
        return {key: str(value) for key, value in asdict(self).items()}


def calculate_price_per_km(inputs: CalculatorInputs) -> PriceBreakdown:
    """The proposed price per km; DomainError when the inputs cannot give one."""
    _check(inputs)
    fuel = inputs.consumption_per_100km * inputs.energy_price / HUNDRED
    fuel_part = _per_km(fuel) if inputs.fuel_included else ZERO.quantize(MILLI)
    fixed_part = _per_km(inputs.yearly_fixed_costs / inputs.expected_km)
    depreciation_part = (
        _per_km(inputs.purchase_value / inputs.depreciation_km)
        if inputs.purchase_value
        else ZERO.quantize(MILLI)
    )
    return PriceBreakdown(
        fuel_per_km=fuel_part,
        fixed_costs_per_km=fixed_part,
        depreciation_per_km=depreciation_part,
        total_per_km=fuel_part + fixed_part + depreciation_part,
    )


def calculation_record(
    *, energy: str, inputs: CalculatorInputs, breakdown: PriceBreakdown, chosen: Decimal
) -> dict[str, Any]:
    """What Tariff.calculation stores: the inputs, the breakdown and the chosen price, as
    plain JSON (decimal strings), enough for the ledger's yearly no-profit check."""
    return {
        "method": METHOD,
        "version": VERSION,
        "energy": energy,
        "inputs": inputs.as_json(),
        "yearly_fixed_costs": str(inputs.yearly_fixed_costs),
        "expected_km": str(inputs.expected_km),
        "result": breakdown.as_json(),
        "chosen_price_per_km": str(chosen),
    }


def check_rounded_price(*, proposed: Decimal, chosen: Decimal) -> None:
    """The owner's rounded price: any lower price, or at most 0.010 €/km above the proposal."""
    if chosen < 0:
        raise DomainError(_("A price cannot be negative."), code="negative_price")
    if chosen > proposed + MAX_ROUNDING_UP:
        raise DomainError(
            _(
                "%(chosen)s €/km is more than the costs (%(proposed)s €/km): sharing a car "
                "covers its costs and makes no profit. Round by at most 0.01 €/km."
            )
            % {"chosen": number_format(chosen, 3), "proposed": number_format(proposed, 3)},
            code="price_above_costs",
        )


def _check(inputs: CalculatorInputs) -> None:
    amounts = {key: value for key, value in asdict(inputs).items() if key != "fuel_included"}
    if any(value < 0 for value in amounts.values()):
        raise DomainError(
            _("Costs, prices and distances cannot be negative."), code="negative_input"
        )
    if inputs.shared_km <= 0:
        raise DomainError(
            _(
                "Enter the km you expect the other members to drive in a year: the price "
                "shares the costs over the km driven, so it needs shared km."
            ),
            code="no_shared_km",
        )
    if inputs.purchase_value > 0 and inputs.depreciation_km <= 0:
        raise DomainError(
            _("Enter the km after which the car is fully depreciated (for example 150,000)."),
            code="no_depreciation_km",
        )


def _per_km(value: Decimal) -> Decimal:
    return value.quantize(MILLI, rounding=ROUND_HALF_UP)


def _json(value: Any) -> Any:
    return value if isinstance(value, bool) else str(value)
