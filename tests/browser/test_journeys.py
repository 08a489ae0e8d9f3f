"""End-to-end journeys in Chromium, by clicks and typing through the real pages.

Only the starting world is made with factories (the association, an owner with an insured
car and its tariff, passwords, agreements the journey does not cover). Every page a journey
shows is screenshotted (test-artifacts/screenshots/journey-*.png) and checked with axe-core
(tests/browser/journeys.py: `Journey.step`).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from bookings.models import Booking
from ledger.selectors.balances import member_balance
from members.models import Membership
from tests.browser.journeys import VIEWPORTS, Journey, log_in, open_association, open_menu
from tests.factories.contracts import AgreementFactory
from tests.factories.members import (
    AssociationFactory,
    DriverProfileFactory,
    MembershipFactory,
    UserFactory,
)
from tests.factories.vehicles import owned_vehicle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASSOCIATION = "Autopartage de Villerouge"
PRICE_PER_KM = Decimal("0.340")
ODOMETER_OUT = 41_250
KM = 87  # under 130 km in an hour: a plausible trip, charged as it is


def local_slot(hours: int) -> tuple[str, str]:
    """A slot starting in ten minutes, as the datetime-local fields take it (Paris time)."""
    start = timezone.localtime(timezone.now()) + dt.timedelta(minutes=10)
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


def new_tab(browser: Browser, viewport: dict[str, int]) -> Page:
    """A second person's browser: its own context, so its own session cookie."""
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", viewport=viewport)
    return context.new_page()


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
    live_server, page, browser, villerouge, viewport
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

    owner = Journey(f"owner-{viewport}", new_tab(browser, VIEWPORTS[viewport]))
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
    owner.page.context.close()

    open_menu(resident, "Mes réservations", "my-bookings")
    upcoming = page.get_by_role("table", name="À venir")
    expect(upcoming.locator(".badge--confirmed")).to_have_text("confirmée")
    upcoming.get_by_role("link", name="Clio").click()
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
