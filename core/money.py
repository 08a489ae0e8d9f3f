"""Money: Decimal with two places, built from strings, rounded once, half-up (EU rule).

Splits use the largest-remainder method so that the parts always add up to the total,
a weight of 0 gets 0, and no balance is ever left at ±0.01.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
NBSP = "\u00a0"
NARROW_NBSP = "\u202f"


def to_decimal(value: Decimal | int | str) -> Decimal:
    """A Decimal from a string, an int or a Decimal; floats are refused (binary fractions)."""
    if isinstance(value, float):
        raise TypeError("money is never built from a float; pass a string")
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValueError(f"not an amount: {value!r}") from None


def round_money(value: Decimal | int | str) -> Decimal:
    """The one rounding rule: to the cent, half away from zero."""
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def split_amount(total: Decimal, weights: Sequence[Decimal | int]) -> list[Decimal]:
    """Split `total` (a rounded amount) in proportion to `weights`, largest remainder first.

    The parts sum to exactly `total`; each part is within one cent of its exact value;
    a weight of 0 gets 0. Ties between equal remainders go to the earlier weight, so the
    result does not depend on anything but the order the caller chose.
    """
    total = round_money(total)
    weight_values = [to_decimal(w) for w in weights]
    if any(w < 0 for w in weight_values):
        raise ValueError("weights must not be negative")
    weight_sum = sum(weight_values, Decimal(0))
    if not weight_values or weight_sum == 0:
        if total == 0:
            return [ZERO for _ in weight_values]
        raise ValueError("cannot split a non-zero amount over zero weights")
    cents = int((total / CENT).to_integral_value())
    sign = -1 if cents < 0 else 1
    exact = [abs(cents) * w / weight_sum for w in weight_values]
    floors = [int(e.to_integral_value(rounding=ROUND_DOWN)) for e in exact]
    remaining = abs(cents) - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for index in order[:remaining]:
        floors[index] += 1
    return [(sign * part * CENT).quantize(CENT) for part in floors]


def format_euros(amount: Decimal) -> str:
    """French display: 1 234,50 € (a narrow no-break space between thousands)."""
    rounded = round_money(amount)
    sign = "-" if rounded < 0 else ""
    units, cents = f"{abs(rounded):.2f}".split(".")
    groups: list[str] = []
    while len(units) > 3:
        groups.insert(0, units[-3:])
        units = units[:-3]
    groups.insert(0, units)
    thousands = NARROW_NBSP.join(groups)
    return f"{sign}{thousands},{cents}{NBSP}€"
