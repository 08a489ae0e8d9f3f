"""The fleet pages in Chromium, in French, on a laptop and on a 360-pixel phone."""

import re

import pytest

from members import demo as members_demo
from vehicles import demo
from vehicles.models import Vehicle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def camille(live_server, page):
    members_demo.seed(lambda line: None)
    demo.seed(lambda line: None)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Courriel").fill("camille@villerouge.example")
    page.get_by_label("Mot de passe").fill("demo-carshare")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(live_server.url + "/")
    return page


def _no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_fleet_shows_cards_with_badges(live_server, camille, screenshot):
    errors = []
    camille.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    camille.goto(live_server.url + "/villerouge/vehicles/")
    assert camille.locator("h1").inner_text() == "Flotte"
    assert camille.locator(".vehicle-card").count() == 3
    assert (
        "contrôle technique à faire bientôt"
        in camille.locator(".vehicle-card", has_text="Clio").inner_text()
    )
    screenshot("vehicles-fleet")
    camille.set_viewport_size({"width": 360, "height": 740})
    assert _no_horizontal_scroll(camille)
    screenshot("vehicles-fleet-360")
    assert not errors, errors  # no CSP violation, no missing asset


def test_the_owner_uploads_a_photo_that_members_see(live_server, camille, screenshot, tmp_path):
    from tests.factories.vehicles import PNG_BYTES

    clio = Vehicle.objects.get(name="Clio")
    photo = tmp_path / "clio.png"
    photo.write_bytes(PNG_BYTES)
    camille.goto(f"{live_server.url}/villerouge/vehicles/{clio.pk}/edit/")
    camille.get_by_label(re.compile(r"^photo\s*:", re.IGNORECASE)).set_input_files(str(photo))
    camille.get_by_role("button", name="Enregistrer").click()
    assert "Le véhicule est enregistré." in camille.locator(".messages").inner_text()
    camille.goto(live_server.url + "/villerouge/vehicles/")
    image = camille.locator(".vehicle-card", has_text="Clio").locator("img")
    image.scroll_into_view_if_needed()  # the card's photo loads lazily
    # Waits for the decoded picture; a refused or broken photo never gets a width and times out.
    camille.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=10_000
    )


def test_the_vehicle_page_prints_and_shows_the_breakdown(live_server, camille, screenshot):
    clio = Vehicle.objects.get(name="Clio")
    camille.goto(f"{live_server.url}/villerouge/vehicles/{clio.pk}/")
    assert camille.locator("h1").inner_text() == "Clio"
    assert camille.get_by_role("button", name="Imprimer").is_visible()  # shown by print.js
    assert camille.locator("svg[role=img] title").text_content() == "Décomposition du prix au km"
    assert "0,299" in camille.locator(".breakdown__table").inner_text()
    screenshot("vehicles-detail")
    camille.set_viewport_size({"width": 360, "height": 740})
    assert _no_horizontal_scroll(camille)
    screenshot("vehicles-detail-360")


def test_the_owner_computes_and_saves_a_price(live_server, camille, screenshot):
    clio = Vehicle.objects.get(name="Clio")
    camille.goto(f"{live_server.url}/villerouge/vehicles/{clio.pk}/calculator/")
    camille.get_by_label("km attendus du partage par an").fill("5000")
    camille.get_by_role("button", name="Calculer le prix").click()
    # 1,280 / 11,000 = 0.116; 0.111 + 0.116 + 0.060 = 0.287
    assert "0,287" in camille.locator("#result-title").inner_text()
    screenshot("vehicles-calculator")
    camille.set_viewport_size({"width": 360, "height": 740})
    assert _no_horizontal_scroll(camille)
    screenshot("vehicles-calculator-360")
    camille.set_viewport_size({"width": 1280, "height": 900})
    price = camille.get_by_label("prix au km appliqué (€)")
    assert price.input_value() == "0.29"
    camille.get_by_label("En vigueur à partir du").fill("2099-01-01")
    camille.get_by_role("button", name="Enregistrer comme nouveau tarif").click()
    assert "Le nouveau tarif est enregistré." in camille.locator(".messages").inner_text()
    assert clio.tariffs.filter(price_per_km="0.290").exists()
