"""A member books from the planning; check-out and check-in on a phone."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings.models import Booking
from tests.bookings.helpers import shared_vehicle
from tests.factories.bookings import BookingFactory
from tests.factories.members import AssociationFactory, DriverProfileFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    association = AssociationFactory(name="Autopartage de Villerouge", slug="villerouge")
    camille = MembershipFactory(
        association=association,
        user__email="camille@villerouge.example",
        user__first_name="Camille",
    )
    bruno = MembershipFactory(
        association=association, user__email="bruno@villerouge.example", user__first_name="Bruno"
    )
    for membership in (camille, bruno):
        DriverProfileFactory(user=membership.user)
    clio = shared_vehicle(camille, bruno, name="Clio")
    return association, camille, bruno, clio


def log_in(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill("demo-carshare")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(live_server.url + "/")


def test_member_books_a_free_slot_from_the_planning_and_sees_it(
    live_server, page, screenshot, people
):
    _association, _camille, bruno, clio = people
    log_in(page, live_server, "bruno@villerouge.example")
    page.goto(live_server.url + "/villerouge/planning/")
    screenshot("bookings-planning-empty")
    page.locator("a.slot").nth(1).click()
    page.wait_for_url("**/bookings/new/**")
    assert page.get_by_label("Véhicule").input_value() == str(clio.pk)
    page.get_by_label("Motif, destination").fill("Marché de Saint-Martin")
    screenshot("bookings-form")
    page.get_by_role("button", name="Réserver", exact=True).click()
    page.wait_for_url("**/bookings/*/")
    assert "confirmée" in page.content()
    booking = Booking.objects.get(driver=bruno)
    page.goto(live_server.url + f"/villerouge/planning/?date={booking.start:%Y-%m-%d}")
    block = page.locator("a.block--confirmed")
    assert block.count() == 1
    assert "Bruno" in block.inner_text()
    screenshot("bookings-planning-booked")


def test_check_out_and_check_in_on_a_phone(live_server, page, screenshot, people):
    _association, _camille, bruno, clio = people
    start = timezone.now() - dt.timedelta(minutes=5)
    booking = BookingFactory(
        vehicle=clio, driver=bruno, start=start, end=start + dt.timedelta(hours=3)
    )
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server, "bruno@villerouge.example")
    page.goto(live_server.url + f"/villerouge/bookings/{booking.pk}/")
    page.get_by_role("link", name="Prendre la voiture (départ)").click()
    page.get_by_label("Compteur (km)").fill("41250")
    page.get_by_label("Niveau de carburant ou de charge (%)").fill("75")
    page.get_by_label("Remarques sur l'état").fill("Rayure sur le pare-chocs arrière")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("bookings-checkout-360")
    page.get_by_role("button", name="Commencer le trajet").click()
    page.wait_for_url(f"**/bookings/{booking.pk}/")
    screenshot("bookings-in-progress-360")
    page.get_by_role("link", name="Ramener la voiture (retour)").click()
    page.get_by_label("Compteur (km)").fill("41312")
    page.get_by_label("Niveau de carburant ou de charge (%)").fill("50")
    page.get_by_label("Où la voiture est garée").fill("Place de la mairie")
    page.locator("#id_receipts-0-amount").fill("32.40")
    page.locator("#id_receipts-0-date").fill(f"{timezone.localdate():%Y-%m-%d}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("bookings-checkin-360")
    page.get_by_role("button", name="Terminer le trajet").click()
    page.wait_for_url(f"**/bookings/{booking.pk}/")
    assert "62 km" in page.content()
    screenshot("bookings-completed-360")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.COMPLETED
    assert booking.trip.fuel_receipts.get().amount == Decimal("32.40")


def test_lea_is_refused_the_clio_with_the_french_reason(live_server, page, screenshot, people):
    from members.models import DriverProfile
    from vehicles.models import InsurancePolicy

    association, _camille, _bruno, clio = people
    clio.insurance_policies.update(
        young_driver_rule=InsurancePolicy.YoungDriverRule.FORBIDDEN,
        min_driver_age=21,
        min_licence_years=2,
    )
    lea = MembershipFactory(
        association=association, user__email="lea@villerouge.example", user__first_name="Léa"
    )
    today = timezone.localdate()
    DriverProfileFactory(
        user=lea.user,
        birth_date=today.replace(year=today.year - 19) - dt.timedelta(days=20),
        licence_issued_on=today - dt.timedelta(days=304),
    )
    assert DriverProfile.objects.filter(user=lea.user).exists()
    log_in(page, live_server, "lea@villerouge.example")
    page.goto(live_server.url + "/villerouge/planning/")
    page.locator("a.slot").nth(1).click()
    page.wait_for_url("**/bookings/new/**")
    reason = "L'assurance de ce véhicule ne couvre pas les conducteurs de moins de 21 ans"
    assert reason in page.locator(".eligibility").inner_text()
    page.get_by_role("button", name="Réserver", exact=True).click()
    assert reason in page.locator(".errorlist").first.inner_text()
    assert not Booking.objects.filter(driver=lea).exists()
    screenshot("bookings-lea-refused")
