"""Rendered calendar fragments, cached under a key that holds everything they show.

The key names the vehicles with the version of their bookings (bookings.models.
VehicleBookingsVersion, bumped by a trigger on every write), so a written, moved or
cancelled booking is never shown from the cache. Readers must read the versions BEFORE
the bookings they render (the planning reads them with its vehicles, then the bookings
only on a miss): a booking committed between the two reads is then shown under the older
version, never hidden under the newer one.

Names (a driver's, a vehicle's) may lag by at most FRAGMENT_SECONDS.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

FRAGMENT_SECONDS = 600


def fragment_key(kind: str, parts: tuple[Hashable, ...]) -> str:
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return f"bookings:{kind}:{digest}"


def cached_fragment(
    kind: str, parts: tuple[Hashable, ...], render: Callable[[], str]
) -> SafeString:
    """The HTML `render()` gives for `parts`, from the cache when it holds it."""
    key = fragment_key(kind, parts)
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, FRAGMENT_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our own templates, escaped there
