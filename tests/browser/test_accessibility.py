"""axe-core on the pages that exist for everyone: home (signed out and in) and the account
pages, on a desktop screen and on a 360 x 740 phone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.a11y import A11Y_ARTIFACTS, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "360": {"width": 360, "height": 740}}


def sign_in(page, live_server, user) -> None:
    """Give the browser a session of `user` (the log-in form has its own test)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def submit_wrong_password(page) -> None:
    page.get_by_label("Courriel").fill("nobody@example.org")
    page.get_by_label("Mot de passe").fill("not-the-password")
    page.get_by_role("button", name="Connexion").click()
    page.locator(".errorlist").first.wait_for()


@dataclass(frozen=True)
class Screen:
    path: str
    signed_in: bool = False
    then: Callable | None = None


SCREENS = {
    "home": Screen("/"),
    "home-signed-in": Screen("/", signed_in=True),
    "login": Screen("/accounts/login/"),
    "login-error": Screen("/accounts/login/", then=submit_wrong_password),
    "signup": Screen("/accounts/signup/"),
    "password-reset": Screen("/accounts/password/reset/"),
}


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("screen", SCREENS)
def test_page_has_no_serious_accessibility_violation(
    live_server, page, screenshot, member, screen, viewport
):
    spec = SCREENS[screen]
    page.set_viewport_size(VIEWPORTS[viewport])
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    if spec.signed_in:
        sign_in(page, live_server, member.user)
    page.goto(live_server.url + spec.path)
    if spec.then:
        spec.then(page)
    if spec.signed_in:
        assert member.association.name in page.content()
    name = f"{screen}-{viewport}"
    screenshot(f"a11y-{name}")
    assert_accessible(page, name)
    assert all(url.startswith(live_server.url) for url in requests), requests
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]


def test_a_violation_fails_with_a_readable_report(live_server, page):
    """Control case: a page with an unlabelled field and an image without text must fail."""
    page.goto(live_server.url + "/healthz")
    page.set_content(
        '<html lang="fr"><head><title>t</title></head><body><main>'
        '<input type="text"><img src="x.png"></main></body></html>'
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_accessible(page, "control-violations")
    report = str(failure.value)
    assert "label (critical)" in report
    assert "image-alt (critical)" in report
    assert "* input" in report and "https://dequeuniversity.com/rules/axe/" in report
    assert (A11Y_ARTIFACTS / "control-violations.json").exists()
