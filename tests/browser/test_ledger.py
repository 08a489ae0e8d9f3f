"""The ledger's pages in Chromium: French, readable at 360 px, charts drawn without script."""

import datetime as dt
from decimal import Decimal

import pytest

from core.timeutils import local_today
from ledger.services import member_account, post_expense, post_trip_charge, record_payment
from members.models import Membership
from tests.factories.ledger import platform, tariffed_vehicle
from tests.factories.members import AssociationFactory, MembershipFactory, UserFactory
from tests.ledger.conftest import PARIS, at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def villerouge():
    association = AssociationFactory(name="Autopartage de Villerouge", slug="villerouge")
    alice = MembershipFactory(
        association=association,
        role=Membership.Role.ADMIN,
        user=UserFactory(email="alice@villerouge.example", first_name="Alice", last_name="Martin"),
    )
    camille = MembershipFactory(
        association=association,
        user=UserFactory(email="camille@x.example", first_name="Camille", last_name="Roux"),
    )
    bruno = MembershipFactory(
        association=association,
        user=UserFactory(email="bruno@x.example", first_name="Bruno", last_name="Lefèvre"),
    )
    clio = tariffed_vehicle(
        association, owners=[(camille, 100)], name="Clio", depreciation_per_km="0.080"
    )
    zoe = tariffed_vehicle(
        association,
        owner_kind="commune",
        name="Zoé de la mairie",
        price_per_km="0.180",
        price_per_hour="1.00",
        daily_hour_cap="10.00",
    )
    today = local_today(PARIS)  # the live server runs on the real clock
    for months_ago, km in [(2, 80), (1, 123), (0, 45)]:
        day = today.replace(day=3) - dt.timedelta(days=30 * months_ago)
        post_trip_charge(
            driver=bruno,
            vehicle=clio,
            km=km,
            started_at=at(day.year, day.month, day.day, 9),
            ended_at=at(day.year, day.month, day.day, 12),
            reference=f"b{months_ago}",
            actor=platform(clio),
        )
        post_trip_charge(
            driver=camille,
            vehicle=zoe,
            km=km // 2,
            started_at=at(day.year, day.month, day.day, 14),
            ended_at=at(day.year, day.month, day.day, 21),
            reference=f"z{months_ago}",
            actor=platform(zoe),
        )
    post_expense(
        vehicle=clio,
        category="insurance",
        amount=Decimal("540"),
        incurred_on=today.replace(day=1),
        paid_by=member_account(camille),
        description="MAIF",
        actor=platform(clio),
    )
    record_payment(
        payer=member_account(bruno),
        payee=member_account(camille),
        amount=Decimal("20"),
        method="cash",
        paid_on=today.replace(day=2),
        note="",
        actor=platform(member_account(bruno)),
    )
    return association, alice


def log_in(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill("demo-carshare")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(live_server.url + "/")


def test_the_dashboard_draws_three_charts_and_fits_a_phone(
    live_server, page, screenshot, villerouge
):
    association, alice = villerouge
    log_in(page, live_server, alice.user.email)
    page.goto(f"{live_server.url}/{association.slug}/ledger/")
    assert page.locator("h1").inner_text() == "Comptes"
    assert page.locator("svg.chart--wide:visible").count() == 3
    assert page.locator("svg.chart--narrow:visible").count() == 0
    assert page.locator("svg.chart--wide rect").count() > 6
    screenshot("ledger-dashboard")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/{association.slug}/ledger/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator("svg.chart--narrow:visible").count() == 3  # text >= 12 px on a phone
    smallest = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('svg.chart--narrow')].flatMap(svg =>
            [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize)
                * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width)))"""
    )
    assert smallest >= 12, smallest
    screenshot("ledger-dashboard-360")


def test_my_account_and_a_statement(live_server, page, screenshot, villerouge):
    association, _alice = villerouge
    log_in(page, live_server, "bruno@x.example")
    page.goto(f"{live_server.url}/{association.slug}/ledger/me/")
    assert page.locator("h1").inner_text() == "Mon compte"
    screenshot("ledger-my-account")
    page.get_by_role("link", name="Relevé").first.click()
    assert "Relevé" in page.locator("h1").inner_text()
    screenshot("ledger-statement")


def test_the_no_profit_and_ademe_pages(live_server, page, screenshot, villerouge):
    association, alice = villerouge
    log_in(page, live_server, alice.user.email)
    page.goto(f"{live_server.url}/{association.slug}/ledger/no-profit/")
    screenshot("ledger-no-profit")
    page.goto(f"{live_server.url}/{association.slug}/ledger/ademe/")
    assert page.locator(".criteria > li").count() == 6
    screenshot("ledger-ademe")
    page.goto(f"{live_server.url}/{association.slug}/ledger/settlement/")
    screenshot("ledger-settlement")
