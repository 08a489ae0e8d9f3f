from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.money import format_euros, round_money, split_amount


def test_round_money_is_half_up_to_the_cent():
    assert round_money("0.125") == Decimal("0.13")
    assert round_money("-0.125") == Decimal("-0.13")
    assert round_money("36.9") == Decimal("36.90")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        round_money(0.1)  # type: ignore[arg-type]


def test_one_hundred_in_three():
    assert split_amount(Decimal("100.00"), [1, 1, 1]) == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]


def test_negative_amounts_split_symmetrically():
    assert split_amount(Decimal("-100.00"), [1, 1, 1]) == [
        Decimal("-33.34"),
        Decimal("-33.33"),
        Decimal("-33.33"),
    ]


def test_weight_zero_gets_zero():
    assert split_amount(Decimal("10.00"), [0, 1, 1]) == [
        Decimal("0.00"),
        Decimal("5.00"),
        Decimal("5.00"),
    ]


def test_split_over_no_weight_is_refused():
    with pytest.raises(ValueError, match="zero weights"):
        split_amount(Decimal("1.00"), [0, 0])


amounts = st.decimals(min_value=Decimal("-100000"), max_value=Decimal("100000"), places=2)
weights = st.lists(
    st.one_of(
        st.just(Decimal(0)),
        st.decimals(min_value=Decimal("0"), max_value=Decimal("1000"), places=2),
    ),
    min_size=1,
    max_size=12,
).filter(lambda ws: sum(ws) > 0)


@given(amounts, weights)
def test_split_sums_exactly_and_stays_within_a_cent(total, ws):
    parts = split_amount(total, ws)
    assert sum(parts) == total
    weight_sum = sum(ws)
    for part, weight in zip(parts, ws, strict=True):
        exact = total * weight / weight_sum
        assert abs(part - exact) < Decimal("0.01")
        if weight == 0:
            assert part == 0


@given(amounts, weights, st.randoms())
def test_split_does_not_depend_on_order_beyond_ties(total, ws, random):
    order = list(range(len(ws)))
    random.shuffle(order)
    shuffled = split_amount(total, [ws[i] for i in order])
    original = split_amount(total, ws)
    assert sum(shuffled) == sum(original) == total
    # Each weight's share differs by at most one cent whatever the order (ties only).
    for position, index in enumerate(order):
        assert abs(shuffled[position] - original[index]) <= Decimal("0.01")


def test_french_display():
    assert format_euros(Decimal("1234.5")) == "1\u202f234,50\u00a0€"
    assert format_euros(Decimal("-0.5")) == "-0,50\u00a0€"
