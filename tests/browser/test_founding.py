"""Issue 15, done when: tried as a new user would on an empty database — sign up, confirm
the address, found "Autopartage de Testville", follow the start checklist (the rules, a car
with its insurance and price, the agreement template, the first invitation), invite a
resident, who accepts, fills in the driver profile and books the car (after the admin has
printed and recorded the signature of the agreement, which the rules require).

And the anonymous public page and the directory, which pass axe with no violation at all.
Every page of the journeys is screenshotted and checked with axe-core (tests/browser/journeys).
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from playwright.sync_api import expect

from bookings.models import Booking
from core.timeutils import local_today
from members.models import Association, Membership
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import ARTIFACTS
from tests.browser.journeys import DESKTOP, PHONE, Journey
from tests.browser.test_journeys import (  # noqa: F401 - new_tab is a fixture
    fill_driver_profile,
    find_and_book,
    invitation_path,
    local_slot,
    new_tab,
)
from tests.factories.members import AssociationFactory, MembershipFactory, UserFactory
from tests.factories.vehicles import InsurancePolicyFactory, TariffFactory, VehicleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARIS = ZoneInfo("Europe/Paris")
NAME = "Autopartage de Testville"
FOUNDER = "sandrine@testville.example"
PASSWORD = "Un-mot-de-passe-solide-42"


def field(journey: Journey, label: str):
    """The form field labelled `label` (labels end with a colon)."""
    return journey.page.get_by_label(re.compile(rf"^{re.escape(label)}\s*:"))


def checklist_item(journey: Journey, label: str):
    return journey.page.locator(".start-checklist__step", has_text=label)


def back_home(journey: Journey, step: str) -> None:
    journey.page.get_by_role("link", name=NAME).first.click()
    expect(journey.page.get_by_role("heading", level=1)).to_have_text(NAME)
    journey.step(step)


def follow_step(journey: Journey, label: str, heading: str, step: str) -> None:
    checklist_item(journey, label).get_by_role("link").click()
    expect(journey.page.get_by_role("heading", level=1)).to_have_text(heading)
    journey.step(step)


def expect_done(journey: Journey, label: str) -> None:
    expect(checklist_item(journey, label).locator(".badge")).to_have_text("fait")


def sign_up_and_confirm(journey: Journey, base: str) -> None:
    page = journey.page
    page.goto(base + "/")
    journey.step("home")
    page.locator("main").get_by_role("link", name="Créer un compte").click()
    journey.step("signup")
    page.get_by_label("Courriel").fill(FOUNDER)
    page.get_by_label(re.compile(r"^Mot de passe\s*:")).fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    page.get_by_role("button", name="Création de compte").click()
    page.wait_for_load_state()
    journey.step("signed-up")
    # Founding needs a confirmed address: the page says so, the e-mail's link confirms it.
    page.goto(base + "/associations/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Confirmez d’abord votre adresse e-mail"
    )
    journey.step("found-unconfirmed")
    [message] = [m for m in mail.outbox if FOUNDER in m.to]
    path = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body).group(1)
    page.goto(base + path)
    journey.step("confirm-email")
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_load_state()
    journey.step("email-confirmed")


def found(journey: Journey, base: str) -> None:
    page = journey.page
    page.goto(base + "/")
    journey.step("home-signed-in")
    page.locator("main").get_by_role("link", name="Fonder une association").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fonder une association")
    journey.step("found")
    field(journey, "Nom de l’association").fill(NAME)
    field(journey, "Commune").fill("Testville")
    field(journey, "Code postal").fill("63190")
    field(journey, "Adresse du siège").fill("Mairie, 2 place de la Halle, 63190 Testville")
    assert field(journey, "Adresse e-mail de contact").input_value() == FOUNDER
    page.get_by_role("button", name="Fonder l’association").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    journey.expect_message("Autopartage de Testville est fondée")
    expect(page.locator(".start-checklist__step .badge")).to_have_text(["à faire"] * 4)
    journey.step("founded")


def set_the_rules(journey: Journey) -> None:
    page = journey.page
    follow_step(journey, "Les règles", "Réglages de l’association", "rules")
    page.get_by_role("spinbutton", name="Cotisation :").fill("10")
    field(journey, "Délai minimal avant une réservation (heures)").fill("0")
    page.get_by_role("button", name="Enregistrer").click()
    journey.expect_message("Les réglages ont été enregistrés.")
    journey.step("rules-saved")
    back_home(journey, "home-rules-done")
    expect_done(journey, "Les règles")


def add_the_first_car(journey: Journey) -> None:
    page = journey.page
    follow_step(journey, "Une première voiture", "Ajouter un véhicule", "car")
    field(journey, "Nom").fill("Berlingo")
    field(journey, "Marque").fill("Citroën")
    field(journey, "Modèle").fill("Berlingo")
    field(journey, "Immatriculation").fill("GH-456-JK")
    field(journey, "Énergie").select_option("diesel")
    page.get_by_role("button", name="Ajouter le véhicule").click()
    journey.expect_message("Le véhicule a été ajouté à la flotte.")
    journey.step("car-added")
    back_home(journey, "home-car-added")
    # The step now leads to what the car still lacks: its insurance, then its price.
    follow_step(journey, "Une première voiture", "Nouveau contrat d'assurance", "insurance")
    field(journey, "Assureur").fill("MAIF")
    field(journey, "Numéro de contrat").fill("VAM-0001-63")
    field(journey, "Garantie").select_option("comprehensive")
    field(journey, "Valable du").fill(f"{local_today(PARIS):%Y-%m-%d}")
    field(journey, "Franchise (€)").fill("400")
    page.get_by_role("button", name="Enregistrer").click()
    journey.expect_message("Le contrat d'assurance est enregistré")
    journey.step("insurance-saved")
    back_home(journey, "home-insured")
    follow_step(journey, "Une première voiture", "Nouveau tarif", "tariff")
    field(journey, "Prix au km (€)").fill("0.28")
    if not field(journey, "En vigueur à partir du").input_value():
        field(journey, "En vigueur à partir du").fill(f"{local_today(PARIS):%Y-%m-%d}")
    page.get_by_role("button", name="Enregistrer").click()
    journey.expect_message("Le nouveau tarif est enregistré.")
    journey.step("tariff-saved")
    back_home(journey, "home-car-done")
    expect_done(journey, "Une première voiture")


def adopt_the_agreement(journey: Journey) -> None:
    page = journey.page
    follow_step(journey, "Le contrat d’autopartage", "Modèles de documents", "templates")
    row = page.get_by_role("row", name=re.compile("^Contrat d'autopartage"))
    row.get_by_role("button").click()
    page.wait_for_load_state()
    journey.step("agreement-template")
    back_home(journey, "home-agreement-done")
    expect_done(journey, "Le contrat d’autopartage")


def invite(journey: Journey, email: str) -> None:
    page = journey.page
    follow_step(journey, "Les premières invitations", "Inviter quelqu’un", "invite")
    page.get_by_label("Adresse e-mail").fill(email)
    journey.click("button", "Envoyer l’invitation")
    journey.expect_message(f"Invitation envoyée à {email}.")
    journey.step("invited")
    back_home(journey, "home-all-done")
    expect(page.locator(".start-checklist")).to_have_count(0)  # done: the checklist goes


def resident_joins(journey: Journey, base: str) -> None:
    page = journey.page
    page.goto(base + invitation_path("nora@example.org"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Rejoindre {NAME}")
    journey.step("invitation")
    page.get_by_label("Prénom").fill("Nora")
    page.get_by_label(re.compile(r"^Nom\W")).fill("Vidal")
    page.get_by_label(re.compile(r"^Mot de passe\W*:")).fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte et adhérer").click()
    journey.expect_message(f"Bienvenue à {NAME} !")
    journey.step("joined")
    fill_driver_profile(journey)


def sign_the_agreement(journey: Journey) -> None:
    """The rules require a signed agreement before a first booking: its PDF downloaded
    (that marks it printed), then handed over in one form (signature, deposit, remarks)."""
    page = journey.page
    page.get_by_role("navigation", name="Menu de l'association").get_by_role(
        "link", name="Contrats", exact=True
    ).click()
    journey.step("agreements")
    journey.click("link", "Nouveau contrat")
    journey.step("agreement-new")
    page.get_by_label("Véhicule").select_option(label="Berlingo (GH-456-JK)")
    page.get_by_label("Conducteur").select_option(label="Nora Vidal (nora@example.org)")
    journey.click("button", "Préparer le contrat")
    journey.expect_message("Le contrat est prêt à imprimer.")
    journey.step("agreement-ready")
    with page.expect_download() as download:
        journey.click("link", "Télécharger le PDF")
    assert download.value.path().read_bytes().startswith(b"%PDF")
    page.reload()  # downloading it marked the agreement printed
    expect(page.locator(".badge--printed")).to_be_visible()
    journey.step("agreement-printed")
    journey.click("link", "Enregistrer la remise en main")
    journey.step("handover")
    journey.click("button", "Enregistrer la remise en main")
    journey.expect_message("La remise en main est enregistrée")
    expect(page.locator(".badge--signed")).to_be_visible()
    journey.step("agreement-signed")


def test_a_new_user_founds_an_association_and_a_resident_books(live_server, page, new_tab):  # noqa: F811
    base = live_server.url
    page.set_viewport_size(DESKTOP)
    founder = Journey("founding", page)
    sign_up_and_confirm(founder, base)
    found(founder, base)
    set_the_rules(founder)
    add_the_first_car(founder)
    adopt_the_agreement(founder)
    invite(founder, "nora@example.org")

    association = Association.objects.get(name=NAME)
    assert association.slug == "autopartage-de-testville"
    assert association.membership_fee == 10
    admin = Membership.objects.get(association=association, user__email=FOUNDER)
    assert (admin.role, admin.status) == ("admin", "active")

    resident = Journey("founding-resident", new_tab(PHONE))
    resident_joins(resident, base)
    sign_the_agreement(founder)
    resident.page.get_by_role("link", name="carshare").click()
    resident.step("home")
    resident.page.locator("main").get_by_role("link", name=NAME).click()
    resident.step("association")
    find_and_book(resident, *local_slot(hours=2), "Berlingo")
    resident.click("button", "Réserver")
    resident.expect_message("Réservation enregistrée : confirmée.")
    resident.step("booked")
    founder_pages, resident_pages = founder.finish(), resident.finish()
    booking = Booking.objects.get(driver__user__email="nora@example.org")
    assert (booking.vehicle.name, booking.status) == ("Berlingo", Booking.Status.CONFIRMED)
    print(f"founding journey: {founder_pages} pages (founder), {resident_pages} (resident)")


@pytest.fixture
def public_villerouge():
    """A public, listed association with named members, phones and cars named after them."""
    association = AssociationFactory(
        name="Autopartage de Villerouge",
        slug="villerouge",
        commune="Villerouge",
        postcode="63000",
        description="Trois voitures partagées entre voisins.",
        public_page=True,
        listed_in_directory=True,
    )
    owner = MembershipFactory(
        association=association,
        user=UserFactory(first_name="Camille", last_name="Roux", phone="06 12 34 56 78"),
    )
    car = VehicleFactory(association=association, name="Clio de Camille", parking_place="Chez Roux")
    car.ownerships.create(owner=owner, share=100)
    InsurancePolicyFactory(vehicle=car)
    TariffFactory(vehicle=car)
    return association, owner


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_public_page_and_the_directory_pass_axe(live_server, page, public_villerouge, viewport):
    """No violation at all, of any impact; and no member's name, e-mail or phone."""
    page.set_viewport_size(DESKTOP if viewport == "desktop" else PHONE)
    _association, owner = public_villerouge
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for path, name in (("/villerouge/about/", "public-page"), ("/associations/", "directory")):
        page.goto(live_server.url + path)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{viewport}.png"), full_page=True)
        violations = assert_accessible(page, f"{name}-{viewport}")
        assert violations == [], violations
        text = page.content()
        for personal in ("Camille", "Roux", owner.user.email, "06 12 34 56 78"):
            assert personal not in text, (path, personal)
        width = PHONE["width"] if viewport == "phone" else DESKTOP["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
