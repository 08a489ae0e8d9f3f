"""End-to-end journeys in Chromium, by clicks and typing through the real pages.

Only the starting world is made with factories (the association, an owner with an insured
car and its tariff, passwords, agreements the journey does not cover). Every page a journey
shows is screenshotted (test-artifacts/screenshots/journey-*.png) and checked with axe-core
(tests/browser/journeys.py: `Journey.step`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from bookings.models import Booking
from core.timeutils import local_today
from ledger.selectors.balances import member_balance
from members.models import DriverProfile, Membership
from tests.browser.journeys import VIEWPORTS, Journey, log_in, open_association, open_menu
from tests.factories.contracts import AgreementFactory
from tests.factories.members import (
    AssociationFactory,
    DriverProfileFactory,
    MembershipFactory,
    UserFactory,
)
from tests.factories.vehicles import owned_vehicle
from vehicles.models import InsurancePolicy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASSOCIATION = "Autopartage de Villerouge"
PRICE_PER_KM = Decimal("0.340")
ODOMETER_OUT = 41_250
KM = 87  # under 130 km in an hour: a plausible trip, charged as it is
PARIS = ZoneInfo("Europe/Paris")  # the association's zone (its default)


def local_slot(hours: int) -> tuple[str, str]:
    """A slot starting in ten minutes, as the datetime-local fields take it (Paris time)."""
    start = timezone.localtime(timezone.now(), PARIS) + dt.timedelta(minutes=10)
    start = start.replace(second=0, microsecond=0)
    end = start + dt.timedelta(hours=hours)
    return f"{start:%Y-%m-%dT%H:%M}", f"{end:%Y-%m-%dT%H:%M}"


def person(association, email: str, first: str, last: str, **kwargs) -> Membership:
    user = UserFactory(email=email, first_name=first, last_name=last)
    membership = MembershipFactory(association=association, user=user, **kwargs)
    DriverProfileFactory(user=user)
    return membership


@pytest.fixture
def villerouge():
    """Camille lends her Clio (approval required, 0.34 €/km); Bruno has signed to drive it."""
    association = AssociationFactory(name=ASSOCIATION, slug="villerouge", commune="Villerouge")
    camille = person(association, "camille@villerouge.example", "Camille", "Roux")
    bruno = person(association, "bruno@villerouge.example", "Bruno", "Lefèvre")
    clio = owned_vehicle(camille, name="Clio", plate="AB-123-CD", approval_required=True)
    clio.tariffs.update(price_per_km=PRICE_PER_KM, price_per_hour=None)
    AgreementFactory(vehicle=clio, driver=bruno)
    return association, camille, bruno, clio


@pytest.fixture
def new_tab(browser: Browser) -> Iterator[Callable[[dict[str, int]], Page]]:
    """Another person's browser: its own context, so its own session cookie."""
    contexts: list[BrowserContext] = []

    def open_tab(viewport: dict[str, int]) -> Page:
        context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", viewport=viewport)
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()


def find_and_book(journey: Journey, start: str, end: str, vehicle: str) -> None:
    """The availability page: a slot, the free cars, then the booking form."""
    page = journey.page
    open_menu(journey, "Trouver une voiture", "availability")
    page.get_by_label(re.compile(r"^Du\b")).fill(start)
    page.get_by_label(re.compile(r"^Au\b")).fill(end)
    page.get_by_role("button", name="Chercher").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("1 voiture libre")
    journey.step("availability-results")
    page.get_by_role("link", name=f"Réserver {vehicle}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Réserver une voiture")
    assert page.get_by_label(re.compile(r"^Du\b")).input_value() == start
    journey.step("booking-form")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_resident_books_drives_and_sees_the_charge(
    live_server, page, new_tab, villerouge, viewport
):
    """Log in → find a free car → book → the owner approves → check out → check in → the
    trip's charge and the balance, to the cent."""
    _association, camille, bruno, clio = villerouge
    base = live_server.url
    page.set_viewport_size(VIEWPORTS[viewport])
    resident = Journey(f"resident-{viewport}", page)
    start, end = local_slot(hours=3)

    log_in(resident, base, bruno.user.email)
    open_association(resident, ASSOCIATION)
    find_and_book(resident, start, end, "Clio")
    page.get_by_label("Motif, destination").fill("Marché de Saint-Martin")
    page.get_by_role("button", name="Réserver", exact=True).click()
    resident.expect_message("Réservation enregistrée : demandée.")
    expect(page.locator(".badge--requested")).to_have_text("demandée")
    resident.step("booking-requested")
    booking = Booking.objects.get(driver=bruno, vehicle=clio)
    assert booking.status == Booking.Status.REQUESTED

    owner = Journey(f"owner-{viewport}", new_tab(VIEWPORTS[viewport]))
    log_in(owner, base, camille.user.email)
    open_association(owner, ASSOCIATION)
    open_menu(owner, "Mes réservations", "my-bookings")
    approvals = owner.page.get_by_role("table", name="En attente de votre accord")
    expect(approvals.get_by_role("row")).to_have_count(2)  # the header and Bruno's request
    expect(approvals).to_contain_text("Bruno Lefèvre")
    approvals.get_by_role("link", name="Clio").click()
    owner.step("booking-to-approve")
    owner.click("button", "Confirmer")
    owner.expect_message("Réservation confirmée.")
    owner.step("booking-approved")
    owner_pages = owner.finish()

    open_menu(resident, "Mes réservations", "my-bookings")
    upcoming = page.get_by_role("table", name="À venir")
    expect(upcoming.locator(".badge--confirmed")).to_have_text("confirmée")
    upcoming.get_by_role("link", name="Clio").click()
    expect(page.locator("dl.facts").first).to_contain_text("Coût estimé, hors kilomètres")
    resident.step("booking-confirmed")

    resident.click("link", "Prendre la voiture (départ)")
    page.get_by_label("Compteur (km)").fill(str(ODOMETER_OUT))
    page.get_by_label("Niveau de carburant ou de charge (%)").fill("80")
    resident.step("checkout-form")
    resident.click("button", "Commencer le trajet")
    expect(page.locator(".badge--in_progress")).to_be_visible()
    resident.step("trip-started")

    resident.click("link", "Ramener la voiture (retour)")
    page.get_by_label("Compteur (km)").fill(str(ODOMETER_OUT + KM))
    page.get_by_label("Niveau de carburant ou de charge (%)").fill("55")
    page.get_by_label("Où la voiture est garée").fill("Place de la mairie")
    resident.step("checkin-form")
    resident.click("button", "Terminer le trajet")
    expect(page.locator(".badge--completed")).to_be_visible()
    expect(page.locator("#trip-title + dl")).to_contain_text(f"{KM} km")
    resident.step("trip-completed")

    charge = "29,58\u00a0€"  # 87 km × 0,34 €/km
    assert Decimal("29.58") == KM * PRICE_PER_KM
    open_menu(resident, "Mon compte", "my-account")
    expect(page.locator(".balance-figure")).to_have_text(f"-{charge}")
    expect(page.get_by_text("Vous devez ce montant aux autres membres.")).to_be_visible()
    row = page.get_by_role("table", name=re.compile("^Vos écritures de")).locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"Trajet en Clio, {KM} km")
    expect(row.locator("td.num")).to_have_text(charge)
    expect(row.locator(".amount-negative")).to_have_text(f"-{charge}")
    page.get_by_role("link", name=re.compile("^Relevé ")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Relevé")
    expect(page.locator("main")).to_contain_text(f"Trajet en Clio, {KM} km")
    expect(page.locator("main")).to_contain_text(f"-{charge}")
    resident.step("statement")

    assert member_balance(bruno) == Decimal("-29.58")
    assert member_balance(camille) == Decimal("29.58")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.COMPLETED
    assert booking.trip.km == KM
    assert resident.finish() + owner_pages >= 16


def test_a_long_email_in_a_facts_list_wraps_on_a_phone(live_server, page):
    """static/css/app.css: a dd holding one long word (the statement's e-mail) wraps."""
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(live_server.url + "/healthz")
    page.set_content(
        f'<html lang="fr"><head><link rel="stylesheet" href="{live_server.url}'
        '/static/css/app.css"></head><body><main><dl class="facts"><dt>Membre</dt>'
        "<dd>Bruno Lefèvre (bruno.lefevre@villerouge.example)</dd>"
        "</dl></main></body></html>"
    )
    expect(page.locator("dl.facts")).to_have_css("display", "grid")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_young_driver_is_refused_with_the_french_reason(live_server, page, villerouge):
    """Léa (over 30, licence 10 months old, on probation) may not book a car whose insurance
    forbids young drivers: the page says why, in French, and nothing is booked."""
    association, _camille, _bruno, clio = villerouge
    clio.insurance_policies.update(
        young_driver_rule=InsurancePolicy.YoungDriverRule.FORBIDDEN,
        min_driver_age=21,
        min_licence_years=2,
    )
    lea = person(association, "lea@villerouge.example", "Léa", "Garnier")
    today = local_today(PARIS)
    DriverProfile.objects.filter(user=lea.user).update(
        birth_date=dt.date(1995, 3, 8),  # over 21 on any day of these tests: young by licence only
        licence_issued_on=today - dt.timedelta(days=300),
    )
    AgreementFactory(vehicle=clio, driver=lea)
    young = Journey("young-driver", page)
    log_in(young, live_server.url, lea.user.email)
    open_association(young, ASSOCIATION)
    find_and_book(young, *local_slot(hours=2), "Clio")
    reason = (
        "L'assurance de ce véhicule ne couvre pas les conducteurs dont le permis a moins de "
        "2 ans. Choisissez un autre véhicule : le planning montre ceux qui vous sont ouverts."
    )
    expect(page.locator(".eligibility")).to_have_text(reason)
    page.get_by_role("button", name="Réserver", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text=reason)).to_be_visible()
    young.step("booking-refused")
    assert young.finish() == 8
    assert not Booking.objects.filter(driver=lea).exists()


@pytest.fixture
def fleet_without_nora():
    """Alice runs the association; Camille lends her Clio; Nora is not a member yet."""
    association = AssociationFactory(name=ASSOCIATION, slug="villerouge", commune="Villerouge")
    alice = person(
        association, "alice@villerouge.example", "Alice", "Martin", role=Membership.Role.ADMIN
    )
    camille = person(association, "camille@villerouge.example", "Camille", "Roux")
    clio = owned_vehicle(camille, name="Clio", plate="AB-123-CD")
    return association, alice, clio


def invitation_path(email: str) -> str:
    """The link of the invitation e-mail sent to `email`, read from the message itself."""
    [message] = [m for m in mail.outbox if email in m.to]
    match = re.search(r"https?://\S+(/invitations/[\w.:-]+/)", message.body)
    assert match, message.body
    return match.group(1)


def join_from_the_invitation(journey: Journey, base: str, path: str) -> None:
    page = journey.page
    page.goto(base + path)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Rejoindre {ASSOCIATION}")
    journey.step("invitation")
    page.get_by_label("Prénom").fill("Nora")
    page.get_by_label(re.compile(r"^Nom\W")).fill("Vidal")
    page.get_by_label(re.compile(r"^Mot de passe\W*:")).fill("Un-mot-de-passe-solide-42")
    page.get_by_label("Mot de passe (confirmation)").fill("Un-mot-de-passe-solide-42")
    page.get_by_role("button", name="Créer mon compte et adhérer").click()
    journey.expect_message(f"Bienvenue à {ASSOCIATION} !")
    journey.step("joined")


def fill_driver_profile(journey: Journey) -> None:
    page = journey.page
    journey.click("link", "Compléter mon profil de conducteur")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon profil de conducteur")
    journey.step("driver-profile")
    page.get_by_label("Date de naissance").fill("1991-04-12")
    page.get_by_label("Numéro de permis").fill("12AB34567890")
    page.get_by_label("Date d’obtention du permis").fill("2010-06-03")
    page.get_by_label("Autorité de délivrance").fill("Préfecture de l'Aude")
    page.get_by_role("button", name="Enregistrer").click()
    journey.expect_message("Votre profil de conducteur a été enregistré.")
    journey.step("driver-profile-saved")


def print_and_sign_agreement(journey: Journey, driver: str) -> bytes:
    """Prepare Nora's agreement, download its PDF (marked printed), record the handover."""
    page = journey.page
    open_menu(journey, "Contrats", "agreements")
    journey.click("link", "Nouveau contrat")
    journey.step("agreement-new")
    page.get_by_label("Véhicule").select_option(label="Clio (AB-123-CD)")
    page.get_by_label("Conducteur").select_option(label=driver)
    journey.click("button", "Préparer le contrat")
    journey.expect_message("Le contrat est prêt à imprimer.")
    journey.step("agreement-ready")
    with page.expect_download() as download:
        journey.click("link", "Télécharger le PDF")
    pdf = download.value.path().read_bytes()
    page.reload()  # downloading it marked the agreement printed
    expect(page.locator(".badge--printed")).to_be_visible()
    journey.step("agreement-printed")
    journey.click("link", "Enregistrer la remise en main")
    journey.step("handover")
    assert page.get_by_label("Signé le").input_value() == f"{local_today(PARIS):%Y-%m-%d}"
    page.get_by_label("Observations").fill("Deux clés remises")
    journey.click("button", "Enregistrer la remise en main")  # signature, deposit, remarks
    journey.expect_message("La remise en main est enregistrée")
    expect(page.locator(".badge--signed")).to_be_visible()
    journey.step("agreement-signed")
    return pdf


def test_admin_invites_a_member_who_signs_and_books(live_server, page, new_tab, fleet_without_nora):
    """Invite by e-mail → the invitee joins from the link and fills in the driver profile →
    the admin prints the agreement (a PDF) and records the signature → the member books."""
    association, alice, clio = fleet_without_nora
    base = live_server.url
    admin = Journey("admin", page)
    log_in(admin, base, alice.user.email)
    open_association(admin, ASSOCIATION)
    admin.click("link", "Inviter quelqu’un")
    admin.step("invite")
    page.get_by_label("Adresse e-mail").fill("nora@example.org")
    admin.click("button", "Envoyer l’invitation")
    admin.expect_message("Invitation envoyée à nora@example.org.")
    admin.step("invited")

    nora = Journey("invitee", new_tab(VIEWPORTS["desktop"]))
    join_from_the_invitation(nora, base, invitation_path("nora@example.org"))
    fill_driver_profile(nora)
    membership = Membership.objects.get(association=association, user__email="nora@example.org")
    assert membership.status == Membership.Status.ACTIVE

    pdf = print_and_sign_agreement(admin, "Nora Vidal (nora@example.org)")
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert admin.finish() == 12

    nora.page.get_by_role("link", name="carshare").click()  # /me/ pages are not the association's
    nora.step("home")
    open_association(nora, ASSOCIATION)
    find_and_book(nora, *local_slot(hours=2), "Clio")
    nora.click("button", "Réserver")
    nora.expect_message("Réservation enregistrée : confirmée.")
    nora.step("booked")
    assert nora.finish() == 10
    booking = Booking.objects.get(driver=membership)
    assert (booking.vehicle, booking.status) == (clio, Booking.Status.CONFIRMED)


def test_a_page_shown_without_a_check_fails_the_journey(live_server, page):
    """Control case: the journey notices a page that was never screenshotted nor checked."""
    journey = Journey("control", page)
    page.goto(live_server.url + "/healthz")
    page.goto(live_server.url + "/accounts/login/")
    journey.step("login")
    with pytest.raises(AssertionError, match="/healthz"):
        journey.finish()
