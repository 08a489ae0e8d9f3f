import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_renders_in_french_with_its_own_assets(live_server, page, screenshot):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Partagez vos voitures entre voisins"
    assert page.get_attribute("html", "lang") == "fr"
    path = screenshot("home")
    assert path.stat().st_size > 10_000
    assert all(url.startswith(live_server.url) for url in requests), requests


def test_home_page_fits_a_360_pixel_phone(live_server, page, screenshot):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360
    screenshot("home-360")


def test_demo_user_logs_in(live_server, page, django_user_model):
    from tests.factories.members import UserFactory

    UserFactory(email="camille@villerouge.example", first_name="Camille")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Courriel").fill("camille@villerouge.example")
    page.get_by_label("Mot de passe").fill("demo-carshare")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(live_server.url + "/")
    assert "Bonjour Camille" in page.locator("h1").inner_text()
