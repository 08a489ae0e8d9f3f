"""Settling a period in one action: the plan is the balances at the period's end less the
payments made since; the whole plan is recorded in one submission, never twice."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from core.errors import ConflictError, ForbiddenError
from ledger.models import LedgerTransaction
from ledger.periods import parse_period
from ledger.selectors.balances import period_settlement, plan_digest
from ledger.services import member_account, post_trip_charge, record_payment
from ledger.services.settlement import settle_period
from tests.factories.ledger import platform, tariffed_vehicle
from tests.factories.members import MembershipFactory
from tests.ledger.conftest import at
from tests.ledger.helpers import assert_ledger_consistent, balance_of

pytestmark = pytest.mark.django_db
OCTOBER = parse_period("2026-10")


@pytest.fixture
def clio(association, admin):
    return tariffed_vehicle(association, owners=[(admin, 100)], name="Clio")


def drive(driver, car, day, km, ref):
    return post_trip_charge(
        driver=driver,
        vehicle=car,
        km=km,
        started_at=at(2026, day.month, day.day, 9),
        ended_at=at(2026, day.month, day.day, 12),
        reference=ref,
        actor=driver,
    )


@pytest.fixture
def two_drivers(association, admin, member, clio, frozen_today):
    """October: the member drives 100 km, another member 50 km (0.30 €/km, owner: admin);
    November: the member drives 10 km more."""
    other = MembershipFactory(association=association)
    drive(member, clio, dt.date(2026, 10, 3), 100, "booking:1")
    drive(other, clio, dt.date(2026, 10, 9), 50, "booking:2")
    drive(member, clio, dt.date(2026, 11, 4), 10, "booking:3")
    return other


def summary(plan):
    return sorted((t.payer.membership_id, t.payee.membership_id, t.amount) for t in plan)


def test_the_plan_is_the_periods_end_not_today(association, admin, member, two_drivers):
    plan = period_settlement(association, OCTOBER)
    assert summary(plan) == sorted(
        [(member.pk, admin.pk, Decimal("30.00")), (two_drivers.pk, admin.pk, Decimal("15.00"))]
    )


def test_a_payment_recorded_since_counts_towards_it(association, admin, member, two_drivers):
    record_payment(
        payer=member_account(member),
        payee=member_account(admin),
        amount=Decimal("30.00"),
        method="transfer",
        paid_on=dt.date(2026, 11, 10),
        note="",
        actor=platform(association),
    )
    plan = period_settlement(association, OCTOBER)
    assert summary(plan) == [(two_drivers.pk, admin.pk, Decimal("15.00"))]


def test_the_whole_plan_is_paid_in_one_action_and_never_twice(
    association, admin, member, two_drivers
):
    digest = plan_digest(period_settlement(association, OCTOBER))
    posted = settle_period(
        actor=admin, key="2026-10", digest=digest, method="transfer", paid_on=dt.date(2026, 11, 26)
    )
    assert len(posted) == 2
    assert {t.kind for t in posted} == {LedgerTransaction.Kind.PAYMENT}
    assert period_settlement(association, OCTOBER) == []
    # What is left is November's 3.00 of the member; the other member is square.
    assert balance_of(association, member) == Decimal("-3.00")
    assert balance_of(association, two_drivers) == Decimal("0.00")
    assert_ledger_consistent(association)
    with pytest.raises(ConflictError) as again:
        settle_period(
            actor=admin,
            key="2026-10",
            digest=digest,
            method="transfer",
            paid_on=dt.date(2026, 11, 26),
        )
    assert again.value.code == "nothing_to_settle"
    assert LedgerTransaction.objects.filter(kind="payment").count() == 2


def test_a_plan_that_changed_since_the_page_is_refused(association, admin, member, two_drivers):
    digest = plan_digest(period_settlement(association, OCTOBER))
    record_payment(
        payer=member_account(two_drivers),
        payee=member_account(admin),
        amount=Decimal("15.00"),
        method="cash",
        paid_on=dt.date(2026, 11, 20),
        note="",
        actor=platform(association),
    )
    with pytest.raises(ConflictError) as changed:
        settle_period(
            actor=admin,
            key="2026-10",
            digest=digest,
            method="transfer",
            paid_on=dt.date(2026, 11, 26),
        )
    assert changed.value.code == "plan_changed"
    assert LedgerTransaction.objects.filter(kind="payment").count() == 1


def test_only_an_admin_settles(association, admin, member, two_drivers):
    digest = plan_digest(period_settlement(association, OCTOBER))
    with pytest.raises(ForbiddenError):
        settle_period(
            actor=member,
            key="2026-10",
            digest=digest,
            method="transfer",
            paid_on=dt.date(2026, 11, 26),
        )
    assert not LedgerTransaction.objects.filter(kind="payment").exists()


def test_the_page_shows_the_chosen_period_and_settles_it_in_one_submission(
    association, admin, member, two_drivers
):
    client = Client()
    client.force_login(admin.user)
    html = client.get("/testville/ledger/settlement/?period=2026-10").content.decode()
    assert "30,00" in html and "15,00" in html
    assert "Marquer les 2 virements comme payés" in html
    digest = plan_digest(period_settlement(association, OCTOBER))
    response = client.post(
        "/testville/ledger/settlement/record-all/",
        {"period": "2026-10", "digest": digest, "method": "transfer", "paid_on": "2026-11-26"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/testville/ledger/settlement/?period=2026-10"
    assert LedgerTransaction.objects.filter(kind="payment").count() == 2
    html = client.get(response["Location"]).content.decode()
    assert "Rien à régler pour 2026-10" in html
