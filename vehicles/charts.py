"""The price breakdown as an inline SVG bar: plain numbers computed here, drawn by a template
(no script, nothing but presentation attributes, so the page's CSP is untouched)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vehicles.calculator import METHOD, PriceBreakdown
from vehicles.models import Tariff

HUNDREDTH = Decimal("0.01")
# Fill colours with at least 3:1 contrast on white (WCAG non-text contrast).
COLOURS = {"fuel": "#a34a00", "fixed": "#0b4f7a", "depreciation": "#0f6e47"}


@dataclass(frozen=True)
class BarSegment:
    key: str
    label: str | Promise
    value: Decimal  # € per km
    x: str  # SVG user units out of 100, as "12.34" whatever the language
    width: str
    colour: str


def bar_segments(breakdown: PriceBreakdown) -> list[BarSegment]:
    """The non-zero parts as segments of a 100-unit-wide bar, in a fixed order."""
    parts = [
        ("fuel", _("fuel"), breakdown.fuel_per_km),
        ("fixed", _("fixed costs"), breakdown.fixed_costs_per_km),
        ("depreciation", _("depreciation"), breakdown.depreciation_per_km),
    ]
    shown = [(key, label, value) for key, label, value in parts if value > 0]
    total = sum((value for _key, _label, value in shown), Decimal(0))
    segments, start = [], Decimal(0)
    for index, (key, label, value) in enumerate(shown):
        last = index == len(shown) - 1
        # the last segment ends exactly at 100, so rounding leaves no gap
        width = Decimal(100) - start if last else _percent(value, total)
        segments.append(BarSegment(key, label, value, _svg(start), _svg(width), COLOURS[key]))
        start += width
    return segments


def breakdown_from_tariff(tariff: Tariff | None) -> PriceBreakdown | None:
    """The calculator's breakdown stored with a tariff, if it came from the calculator."""
    if tariff is None or tariff.calculation.get("method") != METHOD:
        return None
    result = tariff.calculation.get("result", {})
    try:
        return PriceBreakdown(
            fuel_per_km=Decimal(result["fuel_per_km"]),
            fixed_costs_per_km=Decimal(result["fixed_costs_per_km"]),
            depreciation_per_km=Decimal(result["depreciation_per_km"]),
            total_per_km=Decimal(result["total_per_km"]),
        )
    except (KeyError, TypeError, InvalidOperation):
        return None


def _percent(value: Decimal, total: Decimal) -> Decimal:
    return (value * 100 / total).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def _svg(number: Decimal) -> str:
    return f"{number.quantize(HUNDREDTH):f}"
