"""Rendered fragments (or any picklable value) cached under a key that holds everything
they show: the versions that database triggers bump on every write of what they read
(core.versioning), the viewer, the language, the day.

Readers must read the versions BEFORE the rows they render: a row committed between the
two reads is then shown under the older version, never hidden under the newer one.
Names (a driver's, a vehicle's) may lag by at most FRAGMENT_SECONDS.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.core.cache import cache

FRAGMENT_SECONDS = 600

T = TypeVar("T")


def fragment_key(namespace: str, parts: tuple[Hashable, ...]) -> str:
    """`<namespace>:<digest of parts>`, e.g. "bookings:planning:…"."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return f"{namespace}:{digest}"


def cached_value(
    namespace: str,
    parts: tuple[Hashable, ...],
    build: Callable[[], T],
    still_valid: Callable[[T], bool] | None = None,
) -> T:
    """What `build()` gives for `parts`, from the cache when it holds it (and, with
    `still_valid`, while that says the cached value has not expired with the clock)."""
    key = fragment_key(namespace, parts)
    value: T | None = cache.get(key)
    if value is None or (still_valid is not None and not still_valid(value)):
        value = build()
        cache.set(key, value, FRAGMENT_SECONDS)
    return value
