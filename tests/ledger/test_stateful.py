"""Random sequences of postings, corrections, payments and closes: after every step every
transaction balances, the balances sum to 0.00, and the settlement plan zeroes every balance
in at most n − 1 transfers."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from core.errors import DomainError
from core.timeutils import local_today
from ledger.models import LedgerTransaction
from ledger.selectors.balances import balances, settlement
from ledger.services import (
    close_period,
    commune_account,
    fund_account,
    member_account,
    next_period_to_close,
    post_damage_charge,
    post_expense,
    post_fuel_receipt,
    post_trip_charge,
    record_payment,
    reverse_transaction,
)
from members.models import Association
from tests.factories.ledger import platform, tariffed_vehicle
from tests.factories.members import AssociationFactory, MembershipFactory
from tests.ledger.conftest import PARIS, at
from vehicles.models import Tariff, Vehicle

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

cents = st.integers(min_value=1, max_value=50_000).map(lambda c: Decimal(c) / 100)
days_ago = st.integers(min_value=0, max_value=45)
# Closing and posting into a closed period are the only refusals a valid step may meet.
EXPECTED_REFUSALS = {"period_closed", "not_over"}


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self._clock = time_machine.travel(at(2026, 1, 10, 12), tick=False)
        self._now = self._clock.start()
        self.association = AssociationFactory()
        self.members = [MembershipFactory(association=self.association) for _ in range(4)]
        a, b, c, _d = self.members
        self.vehicles = [
            tariffed_vehicle(self.association, owners=[(a, 100)], valid_from=dt.date(2025, 1, 1)),
            tariffed_vehicle(self.association, owners=[(b, 60), (c, 40)], price_per_km="0.333"),
            tariffed_vehicle(
                self.association, owner_kind=Vehicle.OwnerKind.ASSOCIATION, price_per_km="0.250"
            ),
            tariffed_vehicle(
                self.association,
                owner_kind=Vehicle.OwnerKind.COMMUNE,
                price_per_km="0.180",
                price_per_hour="1.00",
                daily_hour_cap="10.00",
                fuel_policy=Tariff.FuelPolicy.REFILL,
            ),
        ]
        self.reference = 0

    def teardown(self):
        self._clock.stop()
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- helpers ---------------------------------------------------------------------------
    def day(self, ago: int) -> dt.date:
        return local_today(PARIS) - dt.timedelta(days=ago)

    def next_reference(self) -> str:
        self.reference += 1
        return f"test:{self.reference}"

    def parties(self):
        return [member_account(m) for m in self.members] + [
            fund_account(self.association),
            commune_account(self.association),
        ]

    def attempt(self, post):
        """Run a posting; a refusal must be an expected one and must write nothing."""
        before = LedgerTransaction.objects.count()
        try:
            post()
        except DomainError as error:
            event(f"refused: {error.code}")
            assert error.code in EXPECTED_REFUSALS, error.code
            assert LedgerTransaction.objects.count() == before
        else:
            event("posted")

    # --- rules -----------------------------------------------------------------------------
    @initialize(
        sharing=st.sampled_from(Association.ExpenseSharing.values),
        rhythm=st.sampled_from(Association.SettlementPeriod.values),
    )
    def rules_of_the_association(self, sharing, rhythm):
        self.association.expense_sharing = sharing
        self.association.settlement_period = rhythm
        self.association.save(update_fields=["expense_sharing", "settlement_period"])

    @rule(days=st.integers(min_value=1, max_value=40))
    def time_passes(self, days):
        self._now.shift(dt.timedelta(days=days))

    @rule(
        driver=st.integers(0, 3),
        vehicle=st.integers(0, 3),
        km=st.integers(0, 600),
        hours=st.integers(1, 60),
        ago=days_ago,
    )
    def trip(self, driver, vehicle, km, hours, ago):
        started = dt.datetime.combine(self.day(ago), dt.time(8), tzinfo=PARIS)
        self.attempt(
            lambda: post_trip_charge(
                driver=self.members[driver],
                vehicle=self.vehicles[vehicle],
                km=km,
                started_at=started,
                ended_at=started + dt.timedelta(hours=hours),
                reference=self.next_reference(),
                actor=platform(self.vehicles[vehicle]),
            )
        )

    @rule(driver=st.integers(0, 3), vehicle=st.integers(0, 2), amount=cents, ago=days_ago)
    def fuel_receipt(self, driver, vehicle, amount, ago):
        self.attempt(
            lambda: post_fuel_receipt(
                driver=self.members[driver],
                vehicle=self.vehicles[vehicle],
                amount=amount,
                paid_on=self.day(ago),
                reference=self.next_reference(),
                actor=platform(self.vehicles[vehicle]),
            )
        )

    @rule(
        vehicle=st.integers(0, 3),
        payer=st.integers(0, 5),
        amount=cents,
        ago=days_ago,
        category=st.sampled_from(LedgerTransaction.Category.values),
    )
    def expense(self, vehicle, payer, amount, ago, category):
        self.attempt(
            lambda: post_expense(
                vehicle=self.vehicles[vehicle],
                category=category,
                amount=amount,
                incurred_on=self.day(ago),
                paid_by=self.parties()[payer],
                description="",
                actor=platform(self.vehicles[vehicle]),
            )
        )

    @rule(
        driver=st.integers(0, 3),
        vehicle=st.integers(2, 3),
        km=st.integers(1, 300),
        amount=cents,
        ago=days_ago,
    )
    def shared_car_trip_and_expense(self, driver, vehicle, km, amount, ago):
        """A trip and an expense of an association or commune car (shared at close)."""
        self.trip(driver, vehicle, km, 2, ago)
        self.expense(vehicle, 4 if vehicle == 2 else 5, amount, ago, "insurance")

    @rule(driver=st.integers(0, 3), vehicle=st.integers(0, 3), amount=cents, ago=days_ago)
    def damage(self, driver, vehicle, amount, ago):
        self.attempt(
            lambda: post_damage_charge(
                driver=self.members[driver],
                vehicle=self.vehicles[vehicle],
                kind=LedgerTransaction.Kind.DAMAGE,
                amount=amount,
                occurred_on=self.day(ago),
                description="",
                reference="",
                actor=platform(self.vehicles[vehicle]),
            )
        )

    @rule(payer=st.integers(0, 5), payee=st.integers(0, 5), amount=cents, ago=days_ago)
    def payment(self, payer, payee, amount, ago):
        if payer == payee:
            return
        parties = self.parties()
        self.attempt(
            lambda: record_payment(
                payer=parties[payer],
                payee=parties[payee],
                amount=amount,
                method="transfer",
                paid_on=self.day(ago),
                note="",
                actor=platform(parties[payer]),
            )
        )

    @rule(index=st.integers(min_value=0))
    def correction(self, index):
        candidates = list(
            LedgerTransaction.objects.filter(
                association=self.association, is_reversed=False, reverses__isnull=True
            ).order_by("pk")
        )
        if candidates:
            entry = candidates[index % len(candidates)]
            reverse_transaction(entry=entry, reason="", actor=platform(entry))
            assert LedgerTransaction.objects.get(pk=entry.pk).is_reversed

    @rule()
    def close(self):
        span = next_period_to_close(self.association)
        if span is not None:
            self.attempt(
                lambda: close_period(
                    association=self.association, key=span.key, actor=platform(self.association)
                )
            )

    @rule()
    def settle_up(self):
        today = local_today(PARIS)
        accounts = {(a.kind, a.membership_id): a for a in self.parties()}
        for transfer in settlement(self.association):
            record_payment(
                payer=accounts[transfer.payer.key],
                payee=accounts[transfer.payee.key],
                amount=transfer.amount,
                method="cash",
                paid_on=today,
                note="",
                actor=platform(accounts[transfer.payer.key]),
            )
        assert {p.balance for p in balances(self.association)} <= {Decimal("0.00")}

    # --- invariants ------------------------------------------------------------------------
    @invariant()
    def every_transaction_balances(self):
        sums = LedgerTransaction.objects.filter(association=self.association).annotate(
            total=Sum("legs__amount")
        )
        for txn in sums:
            assert round(Decimal(txn.total or 0), 2) == 0, txn

    @invariant()
    def balances_sum_to_zero_and_the_plan_settles_them(self):
        parties = balances(self.association)
        assert sum((p.balance for p in parties), Decimal(0)) == Decimal("0.00")
        plan = settlement(self.association)
        non_zero = [p for p in parties if p.balance != 0]
        assert len(plan) <= max(len(non_zero) - 1, 0)
        left = {p.key: p.balance for p in parties}
        for transfer in plan:
            assert transfer.amount > 0
            left[transfer.payer.key] += transfer.amount
            left[transfer.payee.key] -= transfer.amount
        assert set(left.values()) <= {Decimal("0.00")}


def test_the_ledger_stays_balanced_whatever_happens(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings_for_machine(),
    )


def settings_for_machine():
    return settings(
        max_examples=40,
        stateful_step_count=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
