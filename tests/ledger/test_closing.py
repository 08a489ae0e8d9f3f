import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from core.errors import ConflictError, DomainError
from ledger.models import LedgerTransaction, Period
from ledger.periods import parse_period
from ledger.services import (
    close_period,
    member_account,
    next_period_to_close,
    post_expense,
    post_trip_charge,
    record_payment,
)
from ledger.services.sharing import expense_sharing_plan, membership_days
from members.models import Association, Membership
from notifications.models import Notification
from tests.factories.ledger import platform, tariffed_vehicle
from tests.factories.members import MembershipFactory
from tests.ledger.conftest import at
from tests.ledger.helpers import assert_ledger_consistent, balance_of

pytestmark = pytest.mark.django_db


def pay(payer, payee, day):
    return record_payment(
        payer=member_account(payer),
        payee=member_account(payee),
        amount=Decimal("5"),
        method="cash",
        paid_on=day,
        note="",
        actor=platform(member_account(payer)),
    )


def expense(vehicle, amount, day, paid_by):
    return post_expense(
        vehicle=vehicle,
        category=LedgerTransaction.Category.INSURANCE,
        amount=Decimal(amount),
        incurred_on=day,
        paid_by=paid_by,
        description="",
        actor=platform(vehicle),
    )


def trip(driver, vehicle, km, day, reference):
    return post_trip_charge(
        driver=driver,
        vehicle=vehicle,
        km=km,
        started_at=at(day.year, day.month, day.day, 9),
        ended_at=at(day.year, day.month, day.day, 10),
        reference=reference,
        actor=platform(vehicle),
    )


class TestOrder:
    def test_periods_close_in_order_once_over(self, association, admin, member, frozen_today):
        pay(member, admin, dt.date(2026, 9, 10))
        assert next_period_to_close(association).key == "2026-09"
        with pytest.raises(DomainError) as error:
            close_period(association=association, key="2026-10", actor=platform(association))
        assert error.value.code == "not_next"
        close_period(association=association, key="2026-09", actor=platform(association))
        close_period(association=association, key="2026-10", actor=platform(association))
        with pytest.raises(DomainError) as error:
            close_period(association=association, key="2026-11", actor=platform(association))
        assert error.value.code == "not_over"
        with pytest.raises(ConflictError):
            close_period(association=association, key="2026-10", actor=platform(association))
        assert list(Period.objects.values_list("key", flat=True)) == ["2026-09", "2026-10"]

    def test_nothing_to_close_before_the_first_posting(self, association, frozen_today):
        assert next_period_to_close(association) is None
        with pytest.raises(DomainError) as error:
            close_period(association=association, key="2026-10", actor=platform(association))
        assert error.value.code == "empty"

    def test_the_last_day_of_a_period_closes_from_the_next_local_day(
        self, association, admin, member
    ):
        with time_machine.travel(at(2026, 10, 31, 23, 59), tick=False):
            pay(member, admin, dt.date(2026, 10, 31))
            with pytest.raises(DomainError):
                close_period(association=association, key="2026-10", actor=platform(association))
        with time_machine.travel(at(2026, 11, 1, 0, 1), tick=False):
            close_period(association=association, key="2026-10", actor=platform(association))

    def test_quarterly_associations_close_quarters(self, association, admin, member, frozen_today):
        association.settlement_period = Association.SettlementPeriod.QUARTER
        association.save()
        pay(member, admin, dt.date(2026, 8, 10))
        close_period(association=association, key="2026-Q3", actor=platform(association))
        assert next_period_to_close(association).key == "2026-Q4"

    def test_closing_queues_the_statements_and_sends_them_after_commit(
        self, association, admin, member, frozen_today, django_capture_on_commit_callbacks
    ):
        pay(member, admin, dt.date(2026, 10, 10))
        with django_capture_on_commit_callbacks(execute=False) as queued:
            close_period(association=association, key="2026-10", actor=platform(association))
        rows = Notification.objects.filter(kind="statement_ready")
        assert rows.count() == 2  # queued in the close's transaction: the payer and the payee
        assert not mail.outbox  # nothing is sent before the commit
        for callback in queued:
            callback()
        assert sorted(m.to[0] for m in mail.outbox) == sorted([admin.user.email, member.user.email])
        assert {n.status for n in rows} == {Notification.Status.SENT}


class TestExpenseSharing:
    @pytest.fixture
    def people(self, association):
        return [
            MembershipFactory(association=association, joined_on=dt.date(2025, 1, 1))
            for _ in range(3)
        ]

    def test_by_km_each_car_is_shared_by_its_drivers_km(self, association, people, frozen_today):
        from ledger.services import fund_account

        car = tariffed_vehicle(association, owner_kind="association", price_per_km="0.000")
        a, b, c = people
        trip(a, car, 100, dt.date(2026, 10, 3), "t1")
        trip(b, car, 200, dt.date(2026, 10, 4), "t2")
        expense(car, "90.00", dt.date(2026, 10, 5), fund_account(association))
        close_period(association=association, key="2026-10", actor=platform(association))
        share = LedgerTransaction.objects.get(kind=LedgerTransaction.Kind.EXPENSE_SHARE)
        assert (share.date, share.reference, share.km) == (
            dt.date(2026, 10, 31),
            f"share:2026-10:{car.pk}",
            300,
        )
        assert balance_of(association, a) == Decimal("-30.00")
        assert balance_of(association, b) == Decimal("-60.00")
        assert balance_of(association, c) == 0
        assert_ledger_consistent(association)

    def test_by_km_a_car_nobody_drove_keeps_its_expenses(self, association, frozen_today):
        from ledger.services import fund_account

        car = tariffed_vehicle(association, owner_kind="association")
        expense(car, "90.00", dt.date(2026, 10, 5), fund_account(association))
        [plan] = expense_sharing_plan(association, parse_period("2026-10"))
        assert not plan.shared
        close_period(association=association, key="2026-10", actor=platform(association))
        assert not LedgerTransaction.objects.filter(
            kind=LedgerTransaction.Kind.EXPENSE_SHARE
        ).exists()

    def test_by_days_the_provision_follows_days_of_membership(
        self, association, people, frozen_today
    ):
        from ledger.services import commune_account

        association.expense_sharing = Association.ExpenseSharing.MEMBERSHIP_DAYS
        association.save()
        a, b, c = people
        b.joined_on = dt.date(2026, 10, 17)  # 15 days of 31
        b.save()
        c.status, c.left_on = Membership.Status.LEFT, dt.date(2026, 9, 30)  # gone before
        c.save()
        zoe = tariffed_vehicle(association, owner_kind="commune")
        expense(zoe, "92.00", dt.date(2026, 10, 5), commune_account(association))
        close_period(association=association, key="2026-10", actor=platform(association))
        # a: 31 days, b: 15 days → 92 × 31/46 = 62.00, 92 × 15/46 = 30.00
        assert balance_of(association, a) == Decimal("-62.00")
        assert balance_of(association, b) == Decimal("-30.00")
        assert_ledger_consistent(association)

    def test_members_cars_are_not_shared_by_the_rule(self, association, people, frozen_today):
        a, b, _c = people
        car = tariffed_vehicle(association, owners=[(a, 100)])
        expense(car, "90.00", dt.date(2026, 10, 5), member_account(a))
        trip(b, car, 10, dt.date(2026, 10, 6), "t")
        assert expense_sharing_plan(association, parse_period("2026-10")) == []

    def test_membership_days(self, association):
        span = parse_period("2026-10")
        m = Membership(joined_on=dt.date(2026, 10, 30), left_on=None)
        assert membership_days(m, span) == 2
        m = Membership(joined_on=dt.date(2026, 11, 1), left_on=None)
        assert membership_days(m, span) == 0
