"""Statements, the no-profit check and the ADEME criteria."""

import datetime as dt
from decimal import Decimal

import pytest

from ledger.models import LedgerTransaction
from ledger.periods import parse_period
from ledger.selectors.ademe import ademe_criteria
from ledger.selectors.noprofit import depreciation_rate, no_profit_check
from ledger.selectors.statements import statement_context
from ledger.services import (
    close_period,
    fund_account,
    member_account,
    post_expense,
    post_fuel_receipt,
    post_trip_charge,
    record_payment,
)
from members.models import Household
from tests.factories.ledger import platform, tariffed_vehicle
from tests.factories.members import MembershipFactory
from tests.ledger.conftest import at
from vehicles.models import Tariff

pytestmark = pytest.mark.django_db


@pytest.fixture
def camille(association):
    return MembershipFactory(
        association=association, user__first_name="Camille", user__last_name="Roux"
    )


@pytest.fixture
def bruno(association):
    return MembershipFactory(
        association=association, user__first_name="Bruno", user__last_name="Lefèvre"
    )


def trip(driver, vehicle, km, day, reference, hours=2):
    return post_trip_charge(
        driver=driver,
        vehicle=vehicle,
        km=km,
        started_at=at(day.year, day.month, day.day, 9),
        ended_at=at(day.year, day.month, day.day, 9 + hours),
        reference=reference,
        actor=platform(vehicle),
    )


def expense(vehicle, amount, day, paid_by, category="insurance"):
    return post_expense(
        vehicle=vehicle,
        category=category,
        amount=Decimal(amount),
        incurred_on=day,
        paid_by=paid_by,
        description="",
        actor=platform(vehicle),
    )


def plain(value):
    """Only strings, numbers, decimals, dates, booleans, lists and dicts."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(plain(v) for v in value)
    return value is None or isinstance(value, str | int | bool | Decimal | dt.date)


class TestStatement:
    def test_a_statement_has_opening_and_closing_balances_and_sections(
        self, association, camille, bruno, frozen_today
    ):
        clio = tariffed_vehicle(association, owners=[(camille, 100)], name="Clio")
        trip(bruno, clio, 100, dt.date(2026, 10, 20), "t1")  # -30.00 before the period
        trip(bruno, clio, 123, dt.date(2026, 11, 3), "t2")  # -36.90
        trip(camille, clio, 50, dt.date(2026, 11, 4), "t3")  # Camille's own trip: free
        post_fuel_receipt(
            driver=bruno,
            vehicle=clio,
            amount=Decimal("20"),
            paid_on=dt.date(2026, 11, 5),
            reference="f1",
            actor=platform(clio),
        )
        record_payment(
            payer=member_account(bruno),
            payee=member_account(camille),
            amount=Decimal("30"),
            method="cash",
            paid_on=dt.date(2026, 11, 6),
            note="",
            actor=platform(member_account(bruno)),
        )
        data = statement_context(bruno, parse_period("2026-11"))
        assert plain(data)
        assert data["opening_balance"] == Decimal("-30.00")
        assert data["closing_balance"] == Decimal("-30.00") - Decimal("36.90") + Decimal(
            "20"
        ) + Decimal("30")
        assert [s["key"] for s in data["sections"]] == ["trips", "fuel", "payments"]
        assert data["km_driven"] == 123
        assert data["is_final"] is False
        own = statement_context(camille, parse_period("2026-11"))
        trips = next(s for s in own["sections"] if s["key"] == "trips")
        assert [(line["km"], line["amount"]) for line in trips["lines"]] == [
            (123, Decimal("36.90")),
            (50, Decimal("0.00")),
        ]
        assert own["km_driven"] == 50

    def test_a_closed_periods_statement_is_final(self, association, camille, bruno, frozen_today):
        record_payment(
            payer=member_account(bruno),
            payee=member_account(camille),
            amount=Decimal("1"),
            method="cash",
            paid_on=dt.date(2026, 10, 6),
            note="",
            actor=platform(member_account(bruno)),
        )
        close_period(association=association, key="2026-10", actor=platform(association))
        assert statement_context(bruno, parse_period("2026-10"))["is_final"] is True


class TestNoProfit:
    def test_income_from_others_within_documented_costs_is_ok(self, association, camille, bruno):
        clio = tariffed_vehicle(association, owners=[(camille, 100)], depreciation_per_km="0.100")
        trip(bruno, clio, 1000, dt.date(2026, 3, 1), "t1")  # 300.00 income
        trip(camille, clio, 3000, dt.date(2026, 3, 2), "t2")  # owner's km
        expense(clio, "600", dt.date(2026, 2, 1), member_account(camille))
        [row] = no_profit_check(association, 2026)
        assert (row.income, row.expenses, row.depreciation, row.costs) == (
            Decimal("300.00"),
            Decimal("600.00"),
            Decimal("400.00"),
            Decimal("1000.00"),
        )
        assert (row.km_total, row.km_others) == (4000, 1000)
        assert row.cost_per_km == Decimal("0.250")
        assert row.status == "watch"  # others pay 0.30/km for a car costing 0.25/km

    def test_income_above_costs_is_flagged(self, association, camille, bruno):
        clio = tariffed_vehicle(association, owners=[(camille, 100)])
        trip(bruno, clio, 1000, dt.date(2026, 3, 1), "t1")
        expense(clio, "100", dt.date(2026, 2, 1), member_account(camille))
        [row] = no_profit_check(association, 2026)
        assert row.status == "over"
        assert row.margin == Decimal("200.00")
        assert no_profit_check(association, 2025)[0].status == "no_data"

    def test_fuel_refunds_are_costs_and_co_owners_trips_are_not_income(
        self, association, camille, bruno
    ):
        kangoo = tariffed_vehicle(association, owners=[(camille, 50), (bruno, 50)])
        trip(bruno, kangoo, 100, dt.date(2026, 3, 1), "t1")  # pays Camille 15.00: internal
        post_fuel_receipt(
            driver=bruno,
            vehicle=kangoo,
            amount=Decimal("40"),
            paid_on=dt.date(2026, 3, 1),
            reference="f",
            actor=platform(kangoo),
        )
        [row] = no_profit_check(association, 2026)
        assert (row.income, row.fuel_refunds, row.km_others) == (
            Decimal("0.00"),
            Decimal("40.00"),
            0,
        )

    def test_depreciation_falls_back_on_the_calculator_inputs(self):
        tariff = Tariff(
            calculation={"inputs": {"purchase_value": "12000.00", "depreciation_km": "150000"}}
        )
        assert depreciation_rate(tariff) == Decimal("0.08")
        assert depreciation_rate(Tariff(calculation={})) is None
        assert depreciation_rate(Tariff(depreciation_per_km=Decimal("0.050"))) == Decimal("0.050")


class TestAdeme:
    def criteria(self, association):
        return {
            c.number: c
            for c in ademe_criteria(association, 2026, no_profit_check(association, 2026))
        }

    def test_an_owner_and_a_driver_of_one_household_is_family_use(
        self, association, camille, bruno
    ):
        household = Household.objects.create(association=association, label="Roux-Lefèvre")
        camille.household = bruno.household = household
        camille.save()
        bruno.save()
        clio = tariffed_vehicle(association, owners=[(camille, 100)], name="Clio")
        trip(bruno, clio, 10, dt.date(2026, 3, 1), "t1")
        fourth = self.criteria(association)[4]
        assert fourth.status == "problem"
        assert any("Camille Roux" in fact and "Bruno Lefèvre" in fact for fact in fourth.facts)

    def test_overlapping_trips_and_commune_cars_are_reported(self, association, camille, bruno):
        zoe = tariffed_vehicle(association, owner_kind="commune", name="Zoé")
        trip(bruno, zoe, 10, dt.date(2026, 3, 1), "t1", hours=4)
        trip(camille, zoe, 10, dt.date(2026, 3, 1), "t2", hours=2)
        criteria = self.criteria(association)
        assert criteria[3].status == "problem"
        assert criteria[2].status == "warning"
        assert criteria[1].status == "ok"
        assert criteria[6].status == "problem"  # income and no documented cost
        assert criteria[5].status == "manual"

    def test_a_car_only_its_owner_drives_is_not_shared(self, association, camille):
        clio = tariffed_vehicle(association, owners=[(camille, 100)], name="Clio")
        trip(camille, clio, 10, dt.date(2026, 3, 1), "t1")
        assert self.criteria(association)[1].status == "warning"


def test_association_cars_shares_count_as_income(association, camille, bruno, frozen_today):
    car = tariffed_vehicle(association, owner_kind="association", price_per_km="0.000")
    trip(bruno, car, 100, dt.date(2026, 10, 3), "t1")
    expense(car, "90.00", dt.date(2026, 10, 5), fund_account(association))
    close_period(association=association, key="2026-10", actor=platform(association))
    [row] = no_profit_check(association, 2026)
    assert (row.income, row.expenses, row.status) == (Decimal("90.00"), Decimal("90.00"), "ok")
    assert LedgerTransaction.objects.filter(kind="expense_share").count() == 1
