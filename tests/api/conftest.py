"""The API fuzzing world: bench data at a tiny scale (associations, members with driver
profiles, vehicles, and what later apps seed), and a member and an admin with real tokens."""

from __future__ import annotations

import io

import pytest
import schemathesis
from django.test import Client

from carshare.bench_seeding import seed_all
from core.bench_seeding import BenchContext, BenchScale
from tests.api.fuzzing import Caller, InProcessApp

FUZZ_SCALE = BenchScale(associations=2, vehicles=3, months=2)


@pytest.fixture(autouse=True)
def _local_cache(settings):
    """A private cache: the fuzzer clears it before every case (rate limits), which must not
    flush a shared Redis database (CI runs Celery's broker in the same one)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fuzz"}
    }


@pytest.fixture
def fast_passwords(settings):
    """A cheap hasher: every token request with an unknown address hashes a password."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture
def bench_world(db, fast_passwords) -> BenchContext:
    return seed_all(FUZZ_SCALE, out=io.StringIO())


def obtain_token(email: str, password: str) -> str:
    response = Client().post(
        "/api/v1/auth/token/", {"email": email, "password": password}, "application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


@pytest.fixture
def callers(bench_world) -> list[Caller]:
    """The first association's member and admin, each with a token from the token endpoint."""
    slug = bench_world.accounts[0]["slug"]
    other_slug = next(a["slug"] for a in bench_world.accounts if a["slug"] != slug)
    chosen = [a for a in bench_world.accounts if a["slug"] == slug]
    return [
        Caller(a["role"], obtain_token(a["email"], a["password"]), a, other_slug)
        for a in sorted(chosen, key=lambda a: a["role"], reverse=True)  # member, then admin
    ]


@pytest.fixture
def api_schema(db):
    return schemathesis.openapi.from_wsgi("/api/schema/", InProcessApp())
