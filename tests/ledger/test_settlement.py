from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.settlement import settlement_plan


def test_bruno_pays_camille():
    plan = settlement_plan([("camille", Decimal("36.90")), ("bruno", Decimal("-36.90"))])
    assert [(t.payer, t.payee, t.amount) for t in plan] == [("bruno", "camille", Decimal("36.90"))]


def test_balances_that_do_not_sum_to_zero_are_refused():
    with pytest.raises(ValueError, match="sum to zero"):
        settlement_plan([("a", Decimal("1.00")), ("b", Decimal("-0.99"))])


@st.composite
def zero_sum_balances(draw):
    cents = draw(st.lists(st.integers(-100_000, 100_000), min_size=1, max_size=25))
    cents.append(-sum(cents))
    return [(f"p{i}", Decimal(c) / 100) for i, c in enumerate(cents)]


@given(zero_sum_balances())
def test_the_plan_zeroes_every_balance_in_at_most_n_minus_1_transfers(balances):
    plan = settlement_plan(balances)
    left = dict(balances)
    for transfer in plan:
        assert transfer.amount > 0
        left[transfer.payer] += transfer.amount
        left[transfer.payee] -= transfer.amount
    assert all(amount == 0 for amount in left.values())
    non_zero = sum(1 for _p, amount in balances if amount != 0)
    assert len(plan) <= max(non_zero - 1, 0)
