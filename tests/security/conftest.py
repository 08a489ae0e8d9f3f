"""Hostile callers of every path: a member, a stranger, another association's admin, a
leaked token. Each case here was seen failing on main before its fix (see docs/SECURITY.md)."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_counters():
    """Rate limits and lockouts live in the cache and the database: each test starts clean."""
    cache.clear()
    yield
    cache.clear()
