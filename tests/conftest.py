"""Shared fixtures. The cast, reused by every view test (after healthchecks' alice/bob/charlie):

- `association`: the association under test, with `admin` and `member` (both active);
- `other_association`: another tenant, with `outsider` (active there, a stranger here).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.test import Client

from members.models import Membership
from tests.factories.members import AssociationFactory, DriverProfileFactory, MembershipFactory

IN_CI = os.environ.get("CI") == "1"


def require_or_skip(available: bool, reason: str) -> None:
    """Skip outside CI when a real component is missing; in CI a missing one is a failure."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)


def require_postgresql(what: str) -> None:
    """Skip a PostgreSQL-only behaviour on SQLite.

    This is not a missing component: CI runs `make test` twice and the PostgreSQL pass runs
    these tests; the SQLite pass cannot, whatever is installed.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(
            f"{what} exists on PostgreSQL only; CI runs it in its PostgreSQL pass "
            "(set DATABASE_URL to a PostgreSQL server to run it here)"
        )


# An S3-API server for the media tests (`.ci/run` starts moto's and exports it), e.g.
# S3_TEST_ENDPOINT=http://127.0.0.1:56390 after `.venv/bin/moto_server -p 56390`.
S3_TEST_ENDPOINT = os.environ.get("S3_TEST_ENDPOINT", "")
# TEST_MEDIA_STORAGE=s3: every test of the run keeps its uploads on that server (CI's
# PostgreSQL pass); otherwise in a local folder.
MEDIA_ON_S3 = os.environ.get("TEST_MEDIA_STORAGE") == "s3"
S3_TEST_BUCKET = "carshare-tests"


def s3_server_answers() -> bool:
    if not S3_TEST_ENDPOINT:
        return False
    try:
        urllib.request.urlopen(S3_TEST_ENDPOINT, timeout=3)  # noqa: S310 - a test setting
    except urllib.error.HTTPError:
        return True  # it answered
    except OSError:
        return False
    return True


@dataclass(frozen=True)
class S3Media:
    """Where a test's uploads go on the S3 server, and a client to look at them directly."""

    bucket: str
    prefix: str
    client: Any

    def key(self, name: str) -> str:
        return f"{self.prefix}/{name}"


@pytest.fixture(scope="session")
def s3_client():
    require_or_skip(
        s3_server_answers(),
        "no S3-API server: start one (`.venv/bin/moto_server -H 127.0.0.1 -p 56390`) and set "
        "S3_TEST_ENDPOINT=http://127.0.0.1:56390",
    )
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=S3_TEST_ENDPOINT,
        aws_access_key_id="carshare-test",
        aws_secret_access_key="carshare-test",
        region_name="us-east-1",
    )
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(Bucket=S3_TEST_BUCKET)
    return client


def s3_media_storage_url(prefix: str) -> str:
    """The MEDIA_STORAGE_URL of a prefix of the test bucket, as production writes it."""
    server = urlsplit(S3_TEST_ENDPOINT)
    secure = int(server.scheme == "https")
    return (
        f"s3://carshare-test:carshare-test@{server.netloc}/{S3_TEST_BUCKET}/{prefix}"
        f"?region=us-east-1&secure={secure}"
    )


@pytest.fixture
def s3_media(settings, s3_client):
    """The default storage of this test is a fresh prefix of the test bucket on the server."""
    from core.env import parse_media_storage_url

    prefix = f"test-{uuid.uuid4().hex}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": parse_media_storage_url(s3_media_storage_url(prefix)),
    }
    return S3Media(S3_TEST_BUCKET, prefix, s3_client)


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path):
    """Uploads of a test go to its own folder (or its own prefix of the S3 test bucket)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if MEDIA_ON_S3:
        request.getfixturevalue("s3_media")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rate-limit and PDF render counters are keyed by
    primary keys, which repeat from one test to the next (a later test would inherit them)."""
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Factories hash a password per person; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Tasks queued by services run at once in tests (the broker round trip has its own test)."""
    from carshare.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def association(db):
    return AssociationFactory(name="Autopartage de Testville", slug="testville")


@pytest.fixture
def other_association(db):
    return AssociationFactory(name="Autopartage d'Ailleurs", slug="ailleurs")


@pytest.fixture
def admin(association):
    membership = MembershipFactory(association=association, role=Membership.Role.ADMIN)
    DriverProfileFactory(user=membership.user)
    return membership


@pytest.fixture
def member(association):
    membership = MembershipFactory(association=association)
    DriverProfileFactory(user=membership.user)
    return membership


@pytest.fixture
def outsider(other_association):
    membership = MembershipFactory(association=other_association)
    DriverProfileFactory(user=membership.user)
    return membership


def _client_for(membership: Membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


@pytest.fixture
def admin_client_(admin):
    return _client_for(admin)


@pytest.fixture
def member_client(member):
    return _client_for(member)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium; Playwright cannot download its own browsers here."""
    require_or_skip(os.path.exists(CHROMIUM), "Chromium is not installed (apt install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def _no_cached_fragments():
    """Cached fragments are keyed by ids and versions, which a new test database gives out
    again (SQLite rolls back its ids after each test; every run creates the database anew):
    each test starts without them."""
    forget_cached_fragments()


def forget_cached_fragments() -> None:
    """Drop the cached fragments and pages. On Redis only their keys go (the broker
    shares it)."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    if isinstance(cache, LocMemCache):
        cache.clear()
    elif isinstance(cache, RedisCache):
        client = cache._cache.get_client(write=True)
        for pattern in (
            "*:bookings:*",
            "*:ledger:settlement:*",
            "*:ledger:account:*",
            "*:members:home:*",
            "*:page:*",
            "*:layout:*",
        ):
            keys = list(client.scan_iter(match=pattern))
            if keys:
                client.delete(*keys)
