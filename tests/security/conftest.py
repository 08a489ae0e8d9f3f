"""Hostile callers of every path: a member, a stranger, another association's admin, a
leaked token. Each case here was seen failing on main before its fix (see docs/SECURITY.md)."""

from __future__ import annotations


# Rate limits and lockouts live in the cache: tests/conftest.py empties it before each test.
