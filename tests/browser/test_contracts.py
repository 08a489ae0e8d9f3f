"""The contracts pages in Chromium: an admin prepares an agreement and previews a template."""

import pytest

from contracts.models import Agreement
from members.models import Membership
from tests.factories.contracts import AgreementFactory
from tests.factories.members import (
    AssociationFactory,
    DriverProfileFactory,
    MembershipFactory,
    UserFactory,
)
from tests.factories.vehicles import owned_vehicle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def villerouge():
    association = AssociationFactory(name="Autopartage de Villerouge", slug="villerouge")
    admin = MembershipFactory(
        association=association,
        role=Membership.Role.ADMIN,
        user=UserFactory(email="admin@villerouge.example", first_name="Alice", last_name="Martin"),
    )
    camille = MembershipFactory(
        association=association, user=UserFactory(first_name="Camille", last_name="Roux")
    )
    bruno = MembershipFactory(
        association=association, user=UserFactory(first_name="Bruno", last_name="Lefèvre")
    )
    for membership in (admin, camille, bruno):
        DriverProfileFactory(user=membership.user)
    clio = owned_vehicle(camille, name="Clio", plate="AB-123-CD")
    AgreementFactory(vehicle=clio, driver=admin)
    return association, bruno, clio


def log_in(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill("demo-carshare")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(live_server.url + "/")


def test_an_admin_prepares_an_agreement_and_downloads_it(live_server, page, villerouge, screenshot):
    _association, bruno, clio = villerouge
    log_in(page, live_server, "admin@villerouge.example")
    page.goto(f"{live_server.url}/villerouge/agreements/")
    assert page.locator("h1").inner_text() == "Contrats"
    screenshot("contracts-list")
    page.get_by_role("link", name="Nouveau contrat").click()
    page.get_by_label("Véhicule").select_option(str(clio.pk))
    page.get_by_label("Conducteur").select_option(str(bruno.pk))
    page.get_by_role("button", name="Préparer le contrat").click()
    page.wait_for_selector("text=Le contrat est prêt à imprimer.")
    agreement = Agreement.objects.get(driver=bruno)
    screenshot("contracts-detail")
    with page.expect_download() as download_info:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = '';"
            " document.body.appendChild(a); a.click(); }",
            f"/villerouge/agreements/{agreement.pk}/pdf/",
        )
    assert download_info.value.path().read_bytes().startswith(b"%PDF-")


def test_the_template_preview_shows_in_a_sandboxed_frame(live_server, page, villerouge, screenshot):
    log_in(page, live_server, "admin@villerouge.example")
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(f"{live_server.url}/villerouge/documents/templates/agreement/edit/")
    page.get_by_role("button", name="Prévisualiser", exact=True).click()
    frame = page.frame_locator("iframe.template-preview")
    assert "Contrat d'autopartage entre particuliers" in frame.locator("h1").inner_text()
    assert page.get_by_role("button", name="Enregistrer comme nouvelle version").is_visible()
    screenshot("contracts-template-editor")
    page.locator("iframe.template-preview").screenshot(
        path=str(
            screenshot("contracts-template-editor").with_name("contracts-template-preview.png")
        )
    )
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_the_agreements_page_fits_a_phone(live_server, page, villerouge, screenshot):
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server, "admin@villerouge.example")
    page.goto(f"{live_server.url}/villerouge/agreements/mine/")
    screenshot("contracts-mine-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto(f"{live_server.url}/villerouge/agreements/")
    screenshot("contracts-list-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
