"""Recurring expenses: posted once per occurrence, by the job and at close; association-wide
costs borne by the fund and shared by days of membership; the no-profit check leaves them
out of every car."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from core.errors import DomainError, ForbiddenError
from ledger.models import LedgerTransaction, Period, RecurringExpense, RecurringOccurrence
from ledger.periods import parse_period
from ledger.selectors.balances import balances
from ledger.selectors.noprofit import no_profit_check
from ledger.selectors.recurring import recurring_rows
from ledger.services import close_period, fund_account, member_account, reverse_transaction
from ledger.services.recurring import (
    RecurringTerms,
    create_recurring_expense,
    occurrences,
    post_due_recurring_expenses,
    update_recurring_expense,
)
from ledger.services.sharing import expense_sharing_plan
from members.models import Membership
from notifications.registry import get_job
from notifications.runs import run_job
from tests.factories.ledger import platform, tariffed_vehicle
from tests.factories.members import MembershipFactory
from tests.ledger.conftest import at
from tests.ledger.helpers import assert_ledger_consistent, balance_of

pytestmark = pytest.mark.django_db

Category = LedgerTransaction.Category
MONTHLY, QUARTERLY = RecurringExpense.Frequency.MONTHLY, RecurringExpense.Frequency.QUARTERLY


def terms(payer, *, vehicle=None, amount="45.00", frequency=MONTHLY, starts_on, ends_on=None):
    return RecurringTerms(
        vehicle=vehicle,
        category=Category.INSURANCE,
        description="Assurance (échéance)",
        amount=Decimal(amount),
        paid_by=payer,
        frequency=frequency,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def recurring_txns(association):
    return LedgerTransaction.objects.filter(
        association=association, reference__startswith="recurring:"
    ).order_by("date", "pk")


class TestOccurrences:
    def test_monthly_on_the_31st_falls_on_each_months_last_day(self):
        rec = RecurringExpense(starts_on=dt.date(2026, 1, 31), frequency=MONTHLY)
        days = list(occurrences(rec, dt.date(2026, 1, 1), dt.date(2026, 4, 30)))
        assert days == [
            dt.date(2026, 1, 31),
            dt.date(2026, 2, 28),
            dt.date(2026, 3, 31),
            dt.date(2026, 4, 30),
        ]

    def test_quarterly_until_the_last_day(self):
        rec = RecurringExpense(
            starts_on=dt.date(2026, 1, 15), frequency=QUARTERLY, ends_on=dt.date(2026, 10, 14)
        )
        days = list(occurrences(rec, dt.date(2026, 1, 1), dt.date(2027, 12, 31)))
        assert days == [dt.date(2026, 1, 15), dt.date(2026, 4, 15), dt.date(2026, 7, 15)]


class TestPosting:
    def test_creating_posts_the_occurrences_already_due(self, association, admin, frozen_today):
        car = tariffed_vehicle(association, owners=[(admin, 100)])
        recurring, posted = create_recurring_expense(
            actor=admin,
            terms=terms(fund_account(association), vehicle=car, starts_on=dt.date(2026, 10, 5)),
        )
        assert [txn.date for txn in posted] == [dt.date(2026, 10, 5), dt.date(2026, 11, 5)]
        assert all(txn.vehicle == car and txn.amount == Decimal("45.00") for txn in posted)
        assert recurring.occurrences.count() == 2
        assert balance_of(association, admin) == Decimal("-90.00")  # the owner bears it
        assert_ledger_consistent(association)

    def test_the_job_run_twice_posts_each_occurrence_once(self, association, admin):
        with time_machine.travel(at(2026, 11, 2, 12), tick=False):
            create_recurring_expense(
                actor=admin,
                terms=terms(member_account(admin), starts_on=dt.date(2026, 11, 20)),
            )
        assert not recurring_txns(association).exists()
        job = get_job("recurring_expenses")
        with time_machine.travel(at(2026, 12, 21, 4), tick=False):
            first, second = run_job(job, deliver=False), run_job(job, deliver=False)
        assert (first.checked, second.checked) == (2, 0)
        assert [t.date for t in recurring_txns(association)] == [
            dt.date(2026, 11, 20),
            dt.date(2026, 12, 20),
        ]
        assert_ledger_consistent(association)

    def test_a_reversed_occurrence_is_never_posted_again(self, association, admin, frozen_today):
        car = tariffed_vehicle(association, owners=[(admin, 100)])
        _rec, posted = create_recurring_expense(
            actor=admin,
            terms=terms(fund_account(association), vehicle=car, starts_on=dt.date(2026, 11, 5)),
        )
        reverse_transaction(entry=posted[0], reason="wrong policy", actor=admin)
        assert (
            post_due_recurring_expenses(
                actor=admin, association=association, today=dt.date(2026, 11, 26)
            )
            == []
        )
        # the posting and its reversal, nothing more
        assert LedgerTransaction.objects.filter(association=association).count() == 2

    def test_occurrences_in_a_closed_period_are_not_posted(
        self, association, admin, member, frozen_today
    ):
        car = tariffed_vehicle(association, owners=[(admin, 100)])
        LedgerTransaction.objects.create(
            association=association, kind="fee", date=dt.date(2026, 9, 1)
        )
        close_period(association=association, key="2026-09", actor=admin)
        close_period(association=association, key="2026-10", actor=admin)
        _rec, posted = create_recurring_expense(
            actor=admin,
            terms=terms(fund_account(association), vehicle=car, starts_on=dt.date(2026, 9, 10)),
        )
        assert [txn.date for txn in posted] == [dt.date(2026, 11, 10)]

    def test_a_car_without_owner_waits_and_the_others_are_posted(
        self, association, admin, frozen_today
    ):
        orphan = tariffed_vehicle(association)  # no owner recorded
        create_recurring_expense(
            actor=admin,
            terms=terms(fund_account(association), vehicle=orphan, starts_on=dt.date(2026, 11, 1)),
        )
        _rec, posted = create_recurring_expense(
            actor=admin, terms=terms(fund_account(association), starts_on=dt.date(2026, 11, 1))
        )
        assert len(posted) == 1 and posted[0].vehicle is None
        assert RecurringOccurrence.objects.count() == 1

    def test_changing_the_amount_applies_to_the_next_occurrences(
        self, association, admin, frozen_today
    ):
        payer = fund_account(association)
        recurring, _posted = create_recurring_expense(
            actor=admin, terms=terms(payer, starts_on=dt.date(2026, 11, 1))
        )
        update_recurring_expense(
            actor=admin,
            recurring=recurring,
            terms=terms(payer, amount="50.00", starts_on=dt.date(2026, 11, 1)),
        )
        with time_machine.travel(at(2026, 12, 2, 4), tick=False):
            post_due_recurring_expenses(
                actor=platform(association), association=association, today=dt.date(2026, 12, 2)
            )
        assert [t.amount for t in recurring_txns(association)] == [
            Decimal("45.00"),
            Decimal("50.00"),
        ]
        rows = recurring_rows(association)
        assert (rows[0].posted, rows[0].next_due) == (2, dt.date(2027, 1, 1))

    def test_only_admins_of_the_association_record_them(
        self, association, admin, member, outsider, frozen_today
    ):
        for actor in (member, outsider):
            with pytest.raises(ForbiddenError):
                create_recurring_expense(
                    actor=actor,
                    terms=terms(fund_account(association), starts_on=dt.date(2026, 11, 1)),
                )
        foreign_car = tariffed_vehicle(outsider.association, owners=[(outsider, 100)])
        with pytest.raises(DomainError) as error:
            create_recurring_expense(
                actor=admin,
                terms=terms(
                    fund_account(association), vehicle=foreign_car, starts_on=dt.date(2026, 11, 1)
                ),
            )
        assert error.value.code == "foreign"
        assert not RecurringExpense.objects.exists()


class TestAssociationWideCosts:
    def test_the_fund_bears_it_and_the_close_shares_it_by_days(
        self, association, admin, member, frozen_today
    ):
        Membership.objects.filter(pk__in=[admin.pk, member.pk]).update(
            joined_on=dt.date(2026, 1, 1)
        )
        late = MembershipFactory(association=association, joined_on=dt.date(2026, 10, 17))
        # a group insurance paid by the admin, 77.00 € on 2026-10-05
        create_recurring_expense(
            actor=admin,
            terms=terms(
                member_account(admin),
                amount="77.00",
                starts_on=dt.date(2026, 10, 5),
                ends_on=dt.date(2026, 10, 31),
            ),
        )
        plan = expense_sharing_plan(association, parse_period("2026-10"))
        assert [p.association_wide for p in plan] == [True]
        assert [(line.weight, line.amount) for line in plan[0].lines] == [
            (31, Decimal("31.00")),
            (31, Decimal("31.00")),
            (15, Decimal("15.00")),
        ]
        close_period(association=association, key="2026-10", actor=admin)
        assert balance_of(association, admin) == Decimal("77.00") - Decimal("31.00")
        assert balance_of(association, late) == Decimal("-15.00")
        fund = next(p for p in balances(association) if p.kind == "fund")
        assert fund.balance == Decimal("0.00")
        assert_ledger_consistent(association)

    def test_the_no_profit_check_of_each_car_leaves_it_out(
        self, association, admin, member, frozen_today
    ):
        car = tariffed_vehicle(association, owner_kind="association")
        create_recurring_expense(
            actor=admin,
            terms=terms(
                fund_account(association),
                amount="600.00",
                starts_on=dt.date(2026, 10, 5),
                ends_on=dt.date(2026, 10, 5),
            ),
        )
        close_period(association=association, key="2026-10", actor=admin)
        row = next(r for r in no_profit_check(association, 2026) if r.vehicle == car)
        assert (row.income, row.expenses, row.status) == (Decimal("0"), Decimal("0"), "no_data")


class TestAutomaticClose:
    def _posting(self, association, member, day):
        from ledger.services import record_payment

        record_payment(
            payer=member_account(member),
            payee=fund_account(association),
            amount=Decimal("5"),
            method="cash",
            paid_on=day,
            note="",
            actor=platform(association),
        )

    def test_empty_periods_close_at_once_the_others_after_n_days(self, association, admin, member):
        self._posting(association, member, dt.date(2025, 10, 3))
        self._posting(association, member, dt.date(2026, 11, 12))
        job = get_job("period_close")
        with time_machine.travel(at(2026, 12, 3, 4, 5), tick=False):
            run_job(job, deliver=False)
        keys = list(Period.objects.values_list("key", flat=True))
        # 2025-10 waited its 10 days long ago; 2025-11 … 2026-10 were empty: 13 closes
        assert keys[0] == "2025-10" and keys[-1] == "2026-10" and len(keys) == 13
        with time_machine.travel(at(2026, 12, 9, 4, 5), tick=False):
            run_job(job, deliver=False)
        assert Period.objects.count() == 13  # 2026-11 waits until the 10th of December
        with time_machine.travel(at(2026, 12, 10, 4, 5), tick=False):
            run_job(job, deliver=False)
            run_job(job, deliver=False)
        assert Period.objects.latest("ends_on").key == "2026-11"
        assert Period.objects.count() == 14

    def test_closing_by_hand_only_when_the_setting_is_empty(self, association, admin, member):
        from ledger.services.settings import update_ledger_settings

        self._posting(association, member, dt.date(2026, 9, 3))
        update_ledger_settings(actor=admin, auto_close_days=None)
        with time_machine.travel(at(2026, 12, 20, 4, 5), tick=False):
            run_job(get_job("period_close"), deliver=False)
        assert not Period.objects.exists()

    def test_the_close_posts_the_recurring_expenses_due_first(self, association, admin, member):
        with time_machine.travel(at(2026, 11, 2, 12), tick=False):
            create_recurring_expense(
                actor=admin, terms=terms(fund_account(association), starts_on=dt.date(2026, 11, 30))
            )
        with time_machine.travel(at(2026, 12, 10, 4, 5), tick=False):
            run_job(get_job("period_close"), deliver=False)  # the recurring job never ran
        assert Period.objects.get().key == "2026-11"
        assert [t.date for t in recurring_txns(association)] == [dt.date(2026, 11, 30)]
