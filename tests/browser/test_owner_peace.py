"""Issue 17 in Chromium at 360 px: the owner opens her car's notebook from the home page,
sees the incidents' photos and the month's summary; a driver says "already there" at
check-out. Demo data (carshare.demo), French, no sideways scroll, axe-core clean."""

import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bookings.models import Booking, Incident
from carshare.demo import seed_all
from tests.browser.a11y import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def demo(live_server):
    seed_all(lambda line: None)
    return live_server


def log_in(page, url, email):
    page.set_viewport_size(PHONE)
    page.goto(url + "/accounts/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill("demo-carshare")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(url + "/")


def loaded_images(page, selector, expected):
    """How many images matching `selector` are drawn, once `expected` are (or 5 s passed)."""
    script = (
        "([selector, expected]) => [...document.querySelectorAll(selector)]"
        ".filter((img) => img.complete && img.naturalWidth > 0).length >= expected"
    )
    with contextlib.suppress(PlaywrightTimeout):  # then the count says what is missing
        page.wait_for_function(script, arg=[selector, expected], timeout=5000)
    return page.eval_on_selector_all(
        selector, "(imgs) => imgs.filter((img) => img.complete && img.naturalWidth > 0).length"
    )


def test_the_owner_opens_the_notebook_and_sees_photos_and_the_month(demo, page, screenshot):
    log_in(page, demo.url, "camille@villerouge.example")
    page.goto(demo.url + "/villerouge/")
    page.get_by_role("link", name="Carnet du véhicule Clio").click()
    assert page.locator("h1").inner_text() == "Carnet du véhicule Clio"
    photos = page.locator(".photo-grid img")
    photos.first.wait_for()
    settled = Incident.objects.get(status=Incident.Status.SETTLED)
    opened = Incident.objects.get(status__in=Incident.OPEN_STATUSES)
    assert photos.count() == settled.photos.count() + opened.photos.count() == 3
    photos.last.scroll_into_view_if_needed()
    assert loaded_images(page, ".photo-grid img", 3) == 3
    month = page.locator("section", has=page.get_by_role("heading", name="Le mois")).first
    summary = month.inner_text()
    assert "Sommes reçues" in summary and "380,00" in summary and "Km parcourus" in summary
    assert "Rayure" in page.locator(".timeline").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("owner-notebook-360")
    assert_accessible(page, "owner-notebook-360")
    page.locator(".timeline").get_by_role("link", name="Rayure").click()
    assert loaded_images(page, ".photo-grid img", 2) == 2
    assert "franchise 500,00" in page.locator(".facts").inner_text()
    screenshot("owner-incident-360")
    assert_accessible(page, "owner-incident-360")


def test_a_driver_says_already_there_at_check_out(demo, page, screenshot):
    booking = Booking.objects.filter(
        vehicle__name="Clio", driver__user__email="bruno@villerouge.example", status="confirmed"
    ).get()
    log_in(page, demo.url, "bruno@villerouge.example")
    page.goto(f"{demo.url}/villerouge/bookings/{booking.pk}/checkout/")
    known = page.locator(
        "section", has=page.get_by_role("heading", name="Déjà connu sur cette voiture")
    )
    assert "pare-brise" in known.inner_text()
    assert loaded_images(page, ".photo-grid img", 1) == 1
    screenshot("checkout-known-360")
    assert_accessible(page, "checkout-known-360")
    page.get_by_role("button", name="Déjà là").click()
    assert "ce dégât était là avant votre trajet" in page.locator(".messages").inner_text()
    assert Incident.objects.get(status="reported").sightings.get().booking == booking
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
