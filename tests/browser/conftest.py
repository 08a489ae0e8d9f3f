"""Browser tests: Playwright on Debian's Chromium against pytest-django's live server.
Screenshots are kept under test-artifacts/screenshots/ (looked at by people)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture
def screenshot(page):
    """screenshot("name") saves the whole page as test-artifacts/screenshots/name.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


def pytest_sessionfinish(session, exitstatus):
    """The Nu HTML checker over every page the browser tests saved (one Java start): any
    error fails the run; the report is test-artifacts/nu/report.json."""
    from tests.browser.validity import check_saved_pages, format_errors

    pages, errors = check_saved_pages()
    if not pages:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if errors:
        if reporter:
            reporter.write_sep("=", f"Nu HTML checker: {len(errors)} error(s) in {pages} pages")
            reporter.write_line(format_errors(errors))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    elif reporter:
        reporter.write_sep("-", f"Nu HTML checker: 0 errors in {pages} pages")
