"""The tenant wall: every URL pattern of the project, with four callers (anonymous,
member of another association, member, admin). A pattern that no `cases_*.py` module
classifies fails the test."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

import tests.tenancy as tenancy_package
from members.models import Membership
from tests.tenancy.registry import Access, Case

pytestmark = pytest.mark.django_db


def _load_registry() -> tuple[dict[str, Case], dict[str, Access], dict[str, Any]]:
    cases: dict[str, Case] = {}
    prefixes: dict[str, Access] = {}
    builders: dict[str, Any] = {}
    for module_info in pkgutil.iter_modules(tenancy_package.__path__):
        if not module_info.name.startswith("cases_"):
            continue
        module = importlib.import_module(f"tests.tenancy.{module_info.name}")
        cases.update(getattr(module, "CASES", {}))
        prefixes.update(getattr(module, "PREFIXES", {}))
        builders.update(getattr(module, "BUILDERS", {}))
    return cases, prefixes, builders


CASES, PREFIXES, BUILDERS = _load_registry()


def _walk(patterns: list[Any], namespace: str = "") -> list[tuple[str, str]]:
    """(full URL name, route) of every named pattern; unnamed ones as '<unnamed:route>'."""
    found: list[tuple[str, str]] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found.extend(_walk(pattern.url_patterns, inner))
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name or f'<unnamed:{pattern.pattern}>'}"
            found.append((name, str(pattern.pattern)))
    return found


ALL_PATTERNS = sorted(set(_walk(get_resolver().url_patterns)))


def _classify(name: str) -> Case | Access | None:
    if name in CASES:
        return CASES[name]
    for prefix, access in PREFIXES.items():
        if name.startswith(prefix):
            return access
    return None


def test_every_url_pattern_is_classified(capsys):
    unclassified = [name for name, _route in ALL_PATTERNS if _classify(name) is None]
    with capsys.disabled():
        checked = sum(1 for name, _ in ALL_PATTERNS if isinstance(_classify(name), Case))
        print(
            f"\ntenancy: {len(ALL_PATTERNS)} URL patterns, {checked} walked with four callers, "
            f"{len(ALL_PATTERNS) - checked} classified by package prefix"
        )
    assert not unclassified, f"URL patterns with no tenancy case: {unclassified}"


def test_no_stale_cases():
    names = {name for name, _route in ALL_PATTERNS}
    stale = sorted(set(CASES) - names)
    assert not stale, f"tenancy cases for URL names that no longer exist: {stale}"


@dataclass
class World:
    """The association under test and objects of it, built lazily by the BUILDERS."""

    association: Any
    admin: Membership
    member: Membership
    outsider: Membership

    def __getattr__(self, name: str) -> Any:
        builder = BUILDERS.get(name)
        if builder is None:
            raise AttributeError(name)
        value = builder(self)
        setattr(self, name, value)
        return value


@pytest.fixture
def world(association, admin, member, outsider):
    return World(association=association, admin=admin, member=member, outsider=outsider)


def _expected(case: Case, caller: str, method: str) -> set[int]:
    """Acceptable status codes for a caller."""
    ok = {200, 201, 204, 302, 303, 400, 405, 409}
    login = {401, 403} if case.api else {302}
    if case.access is Access.PUBLIC:
        return ok | {401, 403}  # public pages may still refuse a bad token or CSRF
    if case.access is Access.PUBLIC_PAGE:
        return ok | {429}  # the contact form's limits
    if caller == "anonymous":
        return login
    if case.access is Access.AUTHENTICATED:
        return ok
    if case.access is Access.STAFF:
        return {302, 403, 404}
    if case.access is Access.OWN:
        return ok if caller == "member" else {404}
    if caller == "outsider":
        return {404}
    if case.access is Access.ADMIN and caller == "member":
        return {403}
    if method != "GET" and caller == "member" and case.member_post_status is not None:
        return {case.member_post_status}
    return ok


WALKED = [(name, CASES[name]) for name, _route in ALL_PATTERNS if name in CASES]


def _callers(world: World) -> dict[str, Client]:
    callers: dict[str, Client] = {"anonymous": Client()}
    for caller in ("outsider", "member", "admin"):
        client = Client()
        client.force_login(getattr(world, caller).user)
        callers[caller] = client
    return callers


def _failures(case: Case, url: str, callers: dict[str, Client], expected: Any) -> list[str]:
    failures = []
    for method in case.methods:
        for caller, client in callers.items():
            if case.api and method != "GET":
                # the API reads JSON only: an empty object, not an empty form
                response = getattr(client, method.lower())(
                    url, data="{}", content_type="application/json"
                )
            else:
                response = getattr(client, method.lower())(url)
            allowed = expected(caller, method)
            if response.status_code not in allowed:
                failures.append(f"{method} as {caller}: {response.status_code} not in {allowed}")
    return failures


def _set_public(association: Any, *, public: bool, suspended: bool = False) -> None:
    association.public_page = public
    association.suspended_at = timezone.now() if suspended else None
    association.save(update_fields=["public_page", "suspended_at"])


@pytest.mark.parametrize(("name", "case"), WALKED, ids=[name for name, _ in WALKED])
def test_url_answers_each_caller_as_classified(name, case, world):
    if case.access is Access.PUBLIC_PAGE:
        _set_public(world.association, public=True)
    url = reverse(name, kwargs=case.kwargs(world))
    callers = _callers(world)
    failures = _failures(case, url, callers, lambda caller, method: _expected(case, caller, method))
    if case.access is Access.PUBLIC_PAGE:
        for public, suspended in ((False, False), (True, True)):
            _set_public(world.association, public=public, suspended=suspended)
            state = "suspended" if suspended else "closed"
            failures += [
                f"{state}: {failure}"
                for failure in _failures(case, url, callers, lambda caller, method: {404})
            ]
    assert not failures, f"{name} {url}: " + "; ".join(failures)
