"""Balances and the settlement plan are aggregated in the database: the number of queries
does not grow with the number of members or transactions."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledger.models import Account, LedgerTransaction, Leg
from ledger.selectors.balances import balances, settlement
from members.models import Membership, User
from tests.factories.members import AssociationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def build_ledger(association, *, members: int, transactions: int, seed: int = 7):
    """`members` members with accounts and `transactions` payments between them (bulk)."""
    rng = random.Random(seed)
    users = User.objects.bulk_create(
        User(email=f"m{i}@{association.slug}.example", first_name=f"M{i}") for i in range(members)
    )
    memberships = Membership.objects.bulk_create(
        Membership(user=u, association=association, status=Membership.Status.ACTIVE) for u in users
    )
    accounts = Account.objects.bulk_create(
        Account(association=association, kind=Account.Kind.MEMBER, membership=m)
        for m in memberships
    )
    day = dt.date(2026, 10, 1)
    txns = LedgerTransaction.objects.bulk_create(
        (
            LedgerTransaction(
                association=association,
                kind=LedgerTransaction.Kind.PAYMENT,
                date=day + dt.timedelta(days=i % 60),
                amount=Decimal(rng.randint(1, 20_000)) / 100,
                payment_method="cash",
            )
            for i in range(transactions)
        ),
        batch_size=2000,
    )
    legs = []
    for txn in txns:
        payer, payee = rng.sample(accounts, 2)
        legs += [
            Leg(transaction=txn, account=payer, amount=txn.amount),
            Leg(transaction=txn, account=payee, amount=-txn.amount),
        ]
    Leg.objects.bulk_create(legs, batch_size=5000)
    if connection.vendor == "postgresql":
        # As autovacuum would after a bulk load: fresh statistics, so that the 100,000
        # deferred balance checks fired at teardown plan an index scan each.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE ledger_leg")


def queries_for(association):
    with CaptureQueriesContext(connection) as captured:
        parties = balances(association)
        plan = settlement(association)
    return len(captured), parties, plan


def test_balances_and_settlement_use_as_many_queries_for_1000_members_and_50000_transactions():
    small = AssociationFactory(slug="small")
    big = AssociationFactory(slug="big")
    build_ledger(small, members=3, transactions=5)
    build_ledger(big, members=1000, transactions=50_000)
    small_count, _parties, _plan = queries_for(small)
    big_count, parties, plan = queries_for(big)
    assert big_count == small_count
    assert len(parties) == 1000
    assert sum((p.balance for p in parties), Decimal(0)) == Decimal("0.00")
    non_zero = sum(1 for p in parties if p.balance)
    assert len(plan) <= non_zero - 1
    left = {p.key: p.balance for p in parties}
    for transfer in plan:
        left[transfer.payer.key] += transfer.amount
        left[transfer.payee.key] -= transfer.amount
    assert set(left.values()) == {Decimal("0.00")}
