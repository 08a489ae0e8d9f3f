"""Assertions shared by the ledger tests."""

from decimal import Decimal

from django.db.models import Sum

from ledger.models import LedgerTransaction, Leg
from ledger.selectors.balances import balances


def legs_of(txn):
    """{member's name, or "fund" / "commune": amount} of a transaction's legs."""
    legs = txn.legs.select_related("account__membership__user")
    return {
        leg.account.membership.user.display_name if leg.account.membership else leg.account.kind: (
            leg.amount
        )
        for leg in legs
    }


def assert_ledger_consistent(association):
    """Every transaction balances and the balances sum to exactly 0.00."""
    sums = LedgerTransaction.objects.filter(association=association).annotate(
        total=Sum("legs__amount")
    )
    for txn in sums:
        assert Decimal(txn.total or 0).quantize(Decimal("0.01")) == 0, f"{txn.pk} does not balance"
    assert sum((p.balance for p in balances(association)), Decimal(0)) == Decimal("0.00")
    total = Leg.objects.filter(account__association=association).aggregate(t=Sum("amount"))["t"]
    assert Decimal(total or 0).quantize(Decimal("0.01")) == 0


def balance_of(association, membership):
    return next(p.balance for p in balances(association) if p.membership_id == membership.pk)
