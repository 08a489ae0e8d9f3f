"""Issue 16 on a 360 × 740 phone: the planning's agenda, the menu, the offline booking page.

Every page shown is screenshotted at 360 px (and the planning at 1280 px), checked by axe
(no violation of any impact) and kept for the Nu HTML checker's batch (validity.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from bookings.services.owner_time import Block, block_period
from tests.bookings.helpers import shared_vehicle
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import ARTIFACTS
from tests.browser.journeys import PHONE
from tests.browser.validity import DocumentRecorder
from tests.factories.bookings import BookingFactory
from tests.factories.members import AssociationFactory, DriverProfileFactory, MembershipFactory
from vehicles.models import Vehicle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 360, 412)
KEYS = "Double des clés dans la boîte aux lettres de Camille, papiers dans la boîte à gants"
PARKING = "12 rue du Lavoir, devant le portail vert"
KEPT = "Rendez-vous au garage"


@pytest.fixture
def villerouge():
    """Camille lends her Clio (spare key, parking place, phone); Bruno has a booking on it;
    Camille keeps the car for herself an hour after it."""
    association = AssociationFactory(name="Autopartage de Villerouge", slug="villerouge")
    camille = MembershipFactory(
        association=association,
        user__email="camille@villerouge.example",
        user__first_name="Camille",
        user__last_name="Roux",
        user__phone="06 12 34 56 78",
    )
    bruno = MembershipFactory(
        association=association,
        user__email="bruno@villerouge.example",
        user__first_name="Bruno",
        user__last_name="Lefèvre",
    )
    for membership in (camille, bruno):
        DriverProfileFactory(user=membership.user)
    clio = shared_vehicle(
        camille,
        bruno,
        name="Clio",
        key_mode=Vehicle.KeyMode.SPARE_KEY,
        key_arrangement=KEYS,
        parking_place=PARKING,
    )
    start = timezone.localtime(timezone.now()).replace(minute=0, second=0, microsecond=0)
    booking = BookingFactory(
        vehicle=clio,
        driver=bruno,
        start=start + dt.timedelta(hours=2),
        end=start + dt.timedelta(hours=4),
        note="Marché",
    )
    block_period(
        actor=camille,
        vehicle=clio,
        block=Block(booking.end + dt.timedelta(hours=1), booking.end + dt.timedelta(hours=2), KEPT),
    )
    return association, camille, bruno, clio, booking


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill("demo-carshare")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(base + "/")


def check(page: Page, documents: DocumentRecorder, name: str) -> None:
    """A full-page screenshot, axe with no violation at all, the served HTML kept for Nu."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"phone-first-{name}.png"), full_page=True)
    assert_accessible(page, f"phone-first-{name}", strict=True)
    documents.save(f"phone-first-{name}")


def document_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def small_targets(page: Page, selector: str) -> list[str]:
    """Visible links and buttons under `selector` smaller than 24 × 24 px (WCAG 2.5.8)."""
    return list(
        page.evaluate(
            """(selector) => [...document.querySelectorAll(selector)]
                .filter(e => e.offsetParent !== null)
                .map(e => [e.textContent.trim(), e.getBoundingClientRect()])
                .filter(([, r]) => r.width < 24 || r.height < 24)
                .map(([text, r]) => `${text} ${Math.round(r.width)}x${Math.round(r.height)}`)""",
            selector,
        )
    )


def test_the_planning_is_an_agenda_on_a_phone_and_a_week_on_a_desk(live_server, page, villerouge):
    _association, _camille, bruno, _clio, booking = villerouge
    documents = DocumentRecorder(page)
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, bruno.user.email)
    day = timezone.localtime(booking.start).date()
    page.goto(f"{live_server.url}/villerouge/planning/?date={day:%Y-%m-%d}")

    agenda = page.locator(".agenda")
    expect(agenda).to_be_visible()
    expect(page.locator(".planning-wide")).to_be_hidden()
    start, end = timezone.localtime(booking.start), timezone.localtime(booking.end)
    block = agenda.get_by_role("link", name=f"{start:%H:%M}–{end:%H:%M} · Bruno L.")
    expect(block).to_be_visible()
    expect(agenda.locator(".agenda__item--free").first).to_contain_text("Libre")
    assert small_targets(page, ".agenda a, .page-header a, .main-nav a") == []
    check(page, documents, "planning-360")

    for width in WIDTHS:  # no sideways scrolling of the document from 320 to 412 px
        page.set_viewport_size({"width": width, "height": 740})
        assert document_width(page) <= width, f"{document_width(page)} px at {width} px"
        menu = page.get_by_role("navigation", name="Menu de l'association")
        for entry in ("Planning", "Mes réservations", "Mon compte", "Contrats"):
            box = menu.get_by_role("link", name=entry, exact=True).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (entry, width)

    # The owner's kept hour, on the agenda of its own day: its times, the reason, "not lent".
    kept_start = timezone.localtime(booking.end + dt.timedelta(hours=1))
    kept_end = kept_start + dt.timedelta(hours=1)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/villerouge/planning/?date={kept_start:%Y-%m-%d}")
    kept = page.locator(".agenda .agenda__item.block--kept")
    expect(kept).to_contain_text(f"{kept_start:%H:%M}–")
    expect(kept).to_contain_text(KEPT)
    expect(kept.locator(".badge--kept")).to_have_text("non prêtée")
    check(page, documents, "planning-kept-360")

    page.goto(f"{live_server.url}/villerouge/planning/?date={day:%Y-%m-%d}")
    block = page.locator(".agenda").get_by_role(
        "link", name=f"{start:%H:%M}–{end:%H:%M} · Bruno L."
    )
    block.click()  # the agenda's block opens the booking
    expect(page.get_by_role("heading", level=1)).to_contain_text("Clio")

    page.set_viewport_size(PHONE)  # the other pages, on the phone
    for path, name in (("/villerouge/", "home"), ("/villerouge/ledger/me/", "my-account")):
        page.goto(live_server.url + path)
        assert document_width(page) <= PHONE["width"]
        check(page, documents, f"{name}-360")
    page.goto(live_server.url + "/offline/")
    check(page, documents, "offline-360")

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/villerouge/planning/?date={day:%Y-%m-%d}")
    expect(page.locator(".agenda")).to_be_hidden()
    expect(page.get_by_role("region", name="Planning des véhicules")).to_be_visible()
    expect(page.locator(f'a.block[href$="/bookings/{booking.pk}/"]')).to_be_visible()
    check(page, documents, "planning-1280")
    page.goto(f"{live_server.url}/villerouge/planning/?date={kept_start:%Y-%m-%d}&days=1")
    expect(page.locator(".planning-wide span.block--kept")).to_contain_text(
        f"{kept_start:%H:%M}–{kept_end:%H:%M} non prêtée"
    )


def test_the_next_booking_stays_readable_without_network(live_server, page, context, villerouge):
    _association, _camille, bruno, _clio, booking = villerouge
    documents = DocumentRecorder(page)
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, bruno.user.email)
    page.goto(live_server.url + "/villerouge/bookings/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    check(page, documents, "my-bookings-360")
    detail = f"{live_server.url}/villerouge/bookings/{booking.pk}/"
    page.wait_for_function(
        """async (url) => {
            const names = await caches.keys();
            const name = names.find((n) => n.startsWith("carshare-pages-"));
            return !!(name && await (await caches.open(name)).match(url));
        }""",
        arg=detail,
    )
    page.goto(detail)
    check(page, documents, "booking-360")

    context.set_offline(True)
    page.goto(detail)
    main = page.locator("main")
    expect(main).to_contain_text(KEYS)
    expect(main).to_contain_text(PARKING)
    expect(main).to_contain_text("06 12 34 56 78")
    page.screenshot(path=str(ARTIFACTS / "phone-first-booking-offline-360.png"), full_page=True)
    page.goto(live_server.url + "/villerouge/planning/")  # not kept: the offline page
    expect(page.get_by_role("heading", level=1)).to_have_text("Pas de réseau")
    assert document_width(page) <= PHONE["width"]
    context.set_offline(False)

    page.goto(live_server.url + "/villerouge/bookings/")
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(live_server.url + "/")
    page.wait_for_function(
        "async () => !(await caches.keys()).some((n) => n.startsWith('carshare-pages-'))"
    )
    context.set_offline(True)
    page.goto(detail)  # signed out: nobody's booking is kept any more
    expect(page.get_by_role("heading", level=1)).to_have_text("Pas de réseau")
    context.set_offline(False)


def test_a_booking_moved_and_a_weekly_series_with_one_refused_date(live_server, page, villerouge):
    _association, camille, bruno, clio, booking = villerouge
    documents = DocumentRecorder(page)
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, bruno.user.email)
    page.goto(f"{live_server.url}/villerouge/bookings/{booking.pk}/")
    page.get_by_role("link", name="Changer l'horaire ou la voiture").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Changer une réservation")
    check(page, documents, "change-360")
    later = timezone.localtime(booking.start) + dt.timedelta(days=1)
    page.get_by_label("Du").fill(f"{later:%Y-%m-%dT%H:%M}")
    page.get_by_label("Au").fill(f"{later + dt.timedelta(hours=3):%Y-%m-%dT%H:%M}")
    page.get_by_role("button", name="Enregistrer le changement").click()
    expect(page.locator(".messages")).to_contain_text("Réservation changée : confirmée.")
    check(page, documents, "changed-360")
    booking.refresh_from_db()
    assert timezone.localtime(booking.start) == later

    # A weekly series of 6 from next week's Saturday; Camille has the car on the 4th one.
    today = timezone.localdate()
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7 + 7)
    taken = timezone.make_aware(dt.datetime.combine(saturday + dt.timedelta(weeks=3), dt.time(9)))
    BookingFactory(vehicle=clio, driver=camille, start=taken, end=taken + dt.timedelta(hours=2))
    page.goto(live_server.url + "/villerouge/bookings/")
    page.get_by_role("link", name="Réserver chaque jour ou chaque semaine (une série)").click()
    page.get_by_label("Véhicule").select_option(label=str(clio))
    page.get_by_label("Du").fill(f"{saturday:%Y-%m-%d}T08:00")
    page.get_by_label("Au").fill(f"{saturday:%Y-%m-%d}T12:00")
    page.get_by_label("Répéter").select_option(label="chaque semaine")
    page.get_by_label("Nombre de dates").fill("6")
    page.get_by_role("button", name="Réserver la série").click()
    result = page.get_by_role("region", name="5 réservations faites")
    expect(result).to_contain_text("1 date refusée")
    refused = result.locator(".series-refused li")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text(f"{taken:%d}".lstrip("0") + " ")
    expect(refused).to_contain_text("déjà réservé")
    assert document_width(page) <= PHONE["width"]
    check(page, documents, "series-360")


def test_a_waiting_member_is_told_when_the_slot_frees(
    live_server, page, browser, browser_context_args, villerouge
):
    """Camille finds her Clio taken by Bruno, joins the waiting list; Bruno cancels on his own
    phone; Camille is told, opens the message's link and books the freed slot (360 px)."""
    _association, camille, bruno, clio, booking = villerouge
    documents = DocumentRecorder(page)
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, camille.user.email)
    start, end = timezone.localtime(booking.start), timezone.localtime(booking.end)
    slot = f"vehicle={clio.pk}&start={start:%Y-%m-%dT%H:%M}&end={end:%Y-%m-%dT%H:%M}"
    page.goto(f"{live_server.url}/villerouge/bookings/new/?{slot}")
    page.get_by_role("button", name="Réserver", exact=True).click()
    page.get_by_role("button", name="Prévenez-moi si cette voiture se libère").click()
    expect(page.locator(".messages")).to_contain_text("Vous êtes sur la liste d'attente")
    waiting = page.get_by_role("region", name="Listes d'attente")
    expect(waiting).to_contain_text("Clio")
    expect(waiting).to_contain_text(f"{start:%H:%M}")
    assert document_width(page) <= PHONE["width"]
    check(page, documents, "waiting-360")

    # Bruno cancels from his own phone (a browser of his own: its own cookies and service worker).
    bruno_phone = browser.new_context(**browser_context_args)
    try:
        bruno_page = bruno_phone.new_page()
        bruno_page.set_viewport_size(PHONE)
        log_in(bruno_page, live_server.url, bruno.user.email)
        bruno_page.goto(f"{live_server.url}/villerouge/bookings/{booking.pk}/")
        bruno_page.get_by_role("button", name="Annuler la réservation").click()
        expect(bruno_page.locator(".messages")).to_contain_text("annulée")
    finally:
        bruno_phone.close()

    page.goto(live_server.url + "/me/notifications/")
    told = page.locator(".notification").filter(has_text="Clio est libre")
    expect(told).to_have_count(1)
    check(page, documents, "slot-free-360")
    told.get_by_role("button", name="Ouvrir").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Réserver une voiture")
    expect(page.get_by_label("Du")).to_have_value(f"{start:%Y-%m-%dT%H:%M}")
    page.get_by_role("button", name="Réserver", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Réservation enregistrée")
    assert clio.bookings.filter(driver=camille, start=booking.start).exists()
