import datetime as dt

import pytest

from ledger.periods import BadPeriod, parse_period, period_containing, periods_between


@pytest.mark.parametrize(
    ("key", "first", "last"),
    [
        ("2026-11", dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
        ("2026-12", dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
        ("2028-02", dt.date(2028, 2, 1), dt.date(2028, 2, 29)),
        ("2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("2026-q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    ],
)
def test_period_keys(key, first, last):
    span = parse_period(key)
    assert (span.starts_on, span.ends_on) == (first, last)


@pytest.mark.parametrize(
    "key", ["", "2026", "2026-13", "2026-Q5", "26-11", "2026-1", "1999-01", "x"]
)
def test_bad_period_keys_are_refused(key):
    with pytest.raises(BadPeriod):
        parse_period(key)


def test_period_containing_a_day():
    assert period_containing(dt.date(2026, 11, 26), "month").key == "2026-11"
    assert period_containing(dt.date(2026, 11, 26), "quarter").key == "2026-Q4"


def test_periods_between_are_consecutive():
    keys = [s.key for s in periods_between(dt.date(2026, 2, 15), dt.date(2026, 7, 1), "quarter")]
    assert keys == ["2026-Q1", "2026-Q2", "2026-Q3"]
