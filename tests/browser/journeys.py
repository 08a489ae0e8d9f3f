"""Helpers of the end-to-end journeys (tests/browser/test_journeys.py).

A `Journey` follows one browser tab through a person's journey. Each `step(label)`
takes a full-page screenshot (test-artifacts/screenshots/journey-<name>-<nn>-<label>.png),
runs axe-core on the page (no serious or critical violation) and, on a phone, checks that
nothing scrolls sideways. The journey also listens to the tab's navigations, so that
`finish()` fails when a page was shown without being checked. Each step also keeps the
page's HTML as served, which the Nu HTML checker reads at the end of the session
(tests/browser/validity.py), and axe must find no violation at all, of any impact.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import Frame, Page, expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import ARTIFACTS
from tests.browser.validity import DocumentRecorder

PASSWORD = "demo-carshare"  # tests/factories/members.py gives every person this password

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}


@dataclass
class Journey:
    """One person's tab; every page it shows is screenshotted and checked with axe-core."""

    name: str
    page: Page
    checked: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)
    _pending: str | None = None

    def __post_init__(self) -> None:
        self.page.on("framenavigated", self._navigated)
        self.documents = DocumentRecorder(self.page)

    def _navigated(self, frame: Frame) -> None:
        if frame != self.page.main_frame:
            return
        if self._pending is not None:
            self.unchecked.append(self._pending)
        self._pending = frame.url

    def step(self, label: str) -> None:
        """The page as it is now: a screenshot, axe-core, and no sideways scroll on a phone."""
        self.page.wait_for_load_state()
        number = len(self.checked) + 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"journey-{self.name}-{number:02d}-{label}.png"
        self.page.screenshot(path=str(path), full_page=True)
        assert_accessible(self.page, f"{self.name}-{number:02d}-{label}", strict=True)
        self.documents.save(f"journey-{self.name}-{number:02d}-{label}")
        width = (self.page.viewport_size or DESKTOP)["width"]
        scroll_width = self.page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{label}: {scroll_width} px wide on a {width} px screen"
        self.checked.append(self.page.url)
        self._pending = None

    def finish(self) -> int:
        """Fail if a page was shown and not checked; return the number of pages checked."""
        if self._pending is not None:
            self.unchecked.append(self._pending)
            self._pending = None
        assert not self.unchecked, f"pages shown without a check: {self.unchecked}"
        return len(self.checked)

    def click(self, role: str, name: str, *, exact: bool = True) -> None:
        self.page.get_by_role(role, name=name, exact=exact).click()  # type: ignore[arg-type]

    def expect_message(self, text: str) -> None:
        expect(self.page.locator(".messages")).to_contain_text(text)


def log_in(journey: Journey, base_url: str, email: str) -> None:
    """Through the public home page and allauth's log-in form, as a person would."""
    page = journey.page
    page.goto(base_url + "/")
    journey.step("home")
    page.locator("main").get_by_role("link", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    journey.step("login")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(base_url + "/")
    journey.step("home-signed-in")


def open_association(journey: Journey, name: str) -> None:
    """From the signed-in home page, into the association's pages."""
    journey.page.locator("main").get_by_role("link", name=name).click()
    expect(journey.page.get_by_role("heading", level=1)).to_have_text(name)
    journey.step("association")


def open_menu(journey: Journey, label: str, step: str) -> None:
    """Follow an entry of the association menu (on a phone too)."""
    journey.page.get_by_role("navigation", name="Menu de l'association").get_by_role(
        "link", name=label, exact=True
    ).click()
    expect(journey.page.get_by_role("heading", level=1)).to_be_visible()
    journey.step(step)
