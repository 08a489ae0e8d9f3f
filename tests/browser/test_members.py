"""An admin invites someone by e-mail; the invitee creates an account from the link and
appears as an active member."""

import datetime as dt
import re

import pytest
from django.core import mail

from tests.factories.members import (
    AssociationFactory,
    DriverProfileFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def villerouge(db):
    association = AssociationFactory(
        name="Autopartage de Villerouge", slug="villerouge", commune="Villerouge"
    )
    admin = MembershipFactory(
        association=association,
        role="admin",
        user=UserFactory(email="admin@villerouge.example", first_name="Alice", last_name="Martin"),
    )
    DriverProfileFactory(user=admin.user)
    for first, last, birth, issued in [
        ("Camille", "Roux", dt.date(1988, 4, 2), dt.date(2007, 9, 1)),
        ("Léa", "Garnier", dt.date(2007, 3, 10), dt.date(2026, 1, 20)),
    ]:
        membership = MembershipFactory(
            association=association, user=UserFactory(first_name=first, last_name=last)
        )
        DriverProfileFactory(user=membership.user, birth_date=birth, licence_issued_on=issued)
    MembershipFactory(
        association=association,
        status="pending",
        user=UserFactory(first_name="Denis", last_name="Moreau"),
    )
    return association


def _log_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill("demo-carshare")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(base + "/")


def test_admin_invites_and_the_invitee_appears_active(
    live_server, page, browser, screenshot, villerouge
):
    base = live_server.url
    _log_in(page, base, "admin@villerouge.example")
    page.goto(base + "/villerouge/members/")
    page.get_by_role("link", name="Inviter", exact=True).click()
    page.get_by_label("Adresse e-mail").fill("nora@example.org")
    page.get_by_role("button", name="Envoyer l’invitation").click()
    assert "Invitation envoyée à nora@example.org." in page.locator(".messages").inner_text()

    [message] = mail.outbox
    path = "/invitations/" + message.body.split("/invitations/", 1)[1].split()[0]
    invitee = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris").new_page()
    invitee.goto(base + path)
    assert invitee.locator("h1").inner_text() == "Rejoindre Autopartage de Villerouge"
    invitee.get_by_label("Prénom").fill("Nora")
    invitee.get_by_label(re.compile(r"^Nom\W")).fill("Vidal")
    invitee.get_by_label(re.compile(r"^Mot de passe\W*:")).fill("Un-mot-de-passe-solide-42")
    invitee.get_by_label("Mot de passe (confirmation)").fill("Un-mot-de-passe-solide-42")
    invitee.get_by_role("button", name="Créer mon compte et adhérer").click()
    invitee.wait_for_url(base + "/villerouge/")
    # French typography: a narrow no-break space before "!" (split() takes it as a space).
    welcome = " ".join(invitee.locator(".messages").inner_text().split())
    assert "Bienvenue à Autopartage de Villerouge !" in welcome
    invitee.close()

    page.goto(base + "/villerouge/members/")
    row = page.locator("tr", has_text="nora@example.org")
    assert row.locator(".badge--active").inner_text() == "Actif"
    assert "Vidal" in row.inner_text()
    young = page.locator("tr", has_text="Léa Garnier")
    assert young.locator(".badge--info").inner_text() == "jeune conducteur"
    screenshot("members-list")


def test_member_list_fits_a_360_pixel_phone(live_server, page, screenshot, villerouge):
    _log_in(page, live_server.url, "admin@villerouge.example")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/villerouge/members/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("members-list-360")
