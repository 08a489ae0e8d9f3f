"""Accessibility checks with axe-core, for every browser test that shows a page.

    from tests.browser.a11y import assert_accessible
    assert_accessible(page, "booking-form-360")

axe-core is the copy bundled with axe-playwright-python (its `axe.min.js`), injected into
the page with `page.evaluate`: nothing is fetched, and the page's CSP does not apply to it.
Serious and critical violations fail the test with a readable report; every result
(including minor and moderate ones) is kept in test-artifacts/a11y/<name>.json.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

A11Y_ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "a11y"
FAILING_IMPACTS = ("serious", "critical")

_axe = Axe()


def assert_accessible(
    page: Page,
    name: str,
    *,
    context: str | dict[str, Any] | None = None,
    disable_rules: Iterable[str] = (),
    strict: bool = False,
) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; fail on any serious or critical violation
    (`strict`: on any violation at all, minor ones included).

    `name` names the artefact (test-artifacts/a11y/<name>.json); `context` limits the check
    to part of the page (an axe context: a CSS selector or {"include": ..., "exclude": ...});
    `disable_rules` turns rules off by id, for a documented reason only. Returns all the
    violations found (of any impact), for tests that want to look further.
    """
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    disabled = list(disable_rules)
    if disabled:
        options["rules"] = {rule: {"enabled": False} for rule in disabled}
    results = _axe.run(page, context=context, options=options)
    violations: list[dict[str, Any]] = results.response["violations"]
    _save(name, page.url, violations)
    failing = [v for v in violations if strict or v.get("impact") in FAILING_IMPACTS]
    if failing:
        pytest.fail(format_report(name, page.url, failing), pytrace=False)
    return violations


def format_report(name: str, url: str, violations: list[dict[str, Any]]) -> str:
    """One paragraph per rule: id, impact, help and link, then each offending element."""
    lines = [f"axe-core: {len(violations)} violation(s) on {name!r} ({url})"]
    for violation in violations:
        lines.append(
            f"\n- {violation['id']} ({violation['impact']}): {violation['help']}"
            f"\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    * {target}")
            lines.append(f"      {node['html'][:200]}")
            summary = node.get("failureSummary", "").replace("\n", " ").strip()
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def _save(name: str, url: str, violations: list[dict[str, Any]]) -> None:
    A11Y_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    payload = {"name": name, "url": url, "violations": violations}
    (A11Y_ARTIFACTS / f"{name}.json").write_text(json.dumps(payload, indent=2))
