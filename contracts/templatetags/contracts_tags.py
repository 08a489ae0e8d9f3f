"""Template filters of the contracts pages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from contracts import formats

register = template.Library()


@register.filter
def euros(value: Any) -> str:
    """1 234,50 € from a Decimal or a decimal string (agreement snapshots store strings)."""
    try:
        return formats.euros(Decimal(str(value)) if value not in (None, "") else None)
    except (InvalidOperation, TypeError):
        return ""
