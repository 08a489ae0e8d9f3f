"""Rendered calendar fragments, cached under a key that holds everything they show
(core.fragments).

The key names the vehicles with the version of their bookings (bookings.models.
VehicleBookingsVersion, bumped by triggers on every write of a booking or of an owner's
kept period), so a written, moved or cancelled booking, or a period kept or given back, is
never shown from the cache. Readers must read the versions
BEFORE the bookings they render (the planning reads them with its vehicles, then the
bookings only on a miss): a booking committed between the two reads is then shown under
the older version, never hidden under the newer one.

Names (a driver's, a vehicle's) may lag by at most FRAGMENT_SECONDS.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.fragments import FRAGMENT_SECONDS, cached_value, fragment_key
from core.typography import typeset

__all__ = ["FRAGMENT_SECONDS", "cached_fragment", "fragment_key"]


def cached_fragment(
    kind: str, parts: tuple[Hashable, ...], render: Callable[[], str]
) -> SafeString:
    """The HTML `render()` gives for `parts` (typeset in French: `parts` must hold the
    language), from the cache when it holds it."""
    html = cached_value(f"bookings:{kind}", parts, lambda: typeset(render(), get_language()))
    return mark_safe(html)  # noqa: S308 - rendered by our own templates, escaped there
