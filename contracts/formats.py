"""French formats for printed documents, used as template filters (see contracts.sandbox).

Documents are French whatever the reader's interface language, so these do not depend on
Django's active locale; they run in the rendering worker, which has no Django set-up.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from core.money import NARROW_NBSP, NBSP, format_euros, to_decimal

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
BLANK_SIZES = frozenset({"short", "medium", "long"})
# "de" becomes "d'" before these (a name starting with an h keeps "de": most h of place
# names are aspirated, "de Hauteville").
ELIDING_LETTERS = frozenset("aeiouyàâäéèêëîïôöùûüœæ")


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool | float):
        raise TypeError("not an amount (floats are never money)")
    return to_decimal(value if isinstance(value, Decimal | int) else str(value))


def number(value: Any, places: int = 0) -> str:
    """12 345 or 0,30: a narrow no-break space between thousands, a decimal comma."""
    amount = _decimal(value)
    if amount is None:
        return ""
    places = max(0, min(int(places), 6))
    sign = "-" if amount < 0 else ""
    text = f"{abs(amount):.{places}f}"
    units, _dot, decimals = text.partition(".")
    groups: list[str] = []
    while len(units) > 3:
        groups.insert(0, units[-3:])
        units = units[:-3]
    groups.insert(0, units)
    grouped = NARROW_NBSP.join(groups)
    return f"{sign}{grouped},{decimals}" if decimals else f"{sign}{grouped}"


def euros(value: Any) -> str:
    """1 234,50 €; a price per km with a third decimal keeps it (0,275 €)."""
    amount = _decimal(value)
    if amount is None:
        return ""
    if amount == amount.quantize(Decimal("0.01")):
        return format_euros(amount)
    return f"{number(amount, 3)}{NBSP}€"


def date(value: Any, style: str = "long") -> str:
    """1er mars 2025 (long) or 01/03/2025 (short)."""
    if value is None or value == "":
        return ""
    if not isinstance(value, dt.date):
        raise TypeError("not a date")
    if style == "short":
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def datetime(value: Any, style: str = "long") -> str:
    """1er mars 2025 à 14 h 05 (long) or 01/03/2025 14:05 (short), in the value's own zone."""
    if value is None or value == "":
        return ""
    if not isinstance(value, dt.datetime):
        raise TypeError("not a date and time")
    if style == "short":
        return f"{date(value, 'short')} {value.hour:02d}:{value.minute:02d}"
    return f"{date(value)} à {value.hour}{NBSP}h{NBSP}{value.minute:02d}"


def or_blank(value: Any, size: str = "medium") -> Any:
    """The value, or a dotted line to fill in by hand on the printed page."""
    if value is None or value == "" or value == []:
        size = size if size in BLANK_SIZES else "medium"
        return Markup(f'<span class="blank blank--{size}"></span>')  # noqa: S704 - constant
    return value


def clause(value: Any) -> Any:
    """Text set inside a sentence: trimmed, without a final full stop (the sentence has one)."""
    if not isinstance(value, str):
        return value
    return value.strip().rstrip(".").rstrip()


def de(value: Any) -> str:
    """ "de" before a name, elided before a vowel: d'Autopartage, de Villerouge."""
    text = str(value or "").strip()
    return f"d'{text}" if text[:1].lower() in ELIDING_LETTERS else f"de {text}"
