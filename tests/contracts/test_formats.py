import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from contracts import formats

NNBSP = "\u202f"
NBSP = "\xa0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("500.00"), f"500,00{NBSP}€"),
        (Decimal("1234.5"), f"1{NNBSP}234,50{NBSP}€"),
        (Decimal("0.300"), f"0,30{NBSP}€"),
        (Decimal("0.275"), f"0,275{NBSP}€"),
        (12, f"12,00{NBSP}€"),
        ("7.6", f"7,60{NBSP}€"),
        (None, ""),
    ],
)
def test_euros(value, expected):
    assert formats.euros(value) == expected


def test_euros_refuse_floats():
    with pytest.raises(TypeError):
        formats.euros(0.3)


def test_numbers():
    assert formats.number(Decimal("12345")) == f"12{NNBSP}345"
    assert formats.number(Decimal("33.333"), 2) == "33,33"
    assert formats.number(Decimal("-1500"), 0) == f"-1{NNBSP}500"


def test_dates_in_french():
    assert formats.date(dt.date(2025, 3, 1)) == "1er mars 2025"
    assert formats.date(dt.date(2025, 8, 15)) == "15 août 2025"
    assert formats.date(dt.date(2025, 8, 15), "short") == "15/08/2025"
    assert formats.date(None) == ""


def test_datetimes_keep_their_own_zone():
    at = dt.datetime(2025, 3, 30, 14, 5, tzinfo=ZoneInfo("Europe/Paris"))
    assert formats.datetime(at) == f"30 mars 2025 à 14{NBSP}h{NBSP}05"
    assert formats.datetime(at, "short") == "30/03/2025 14:05"


def test_or_blank_prints_a_line_only_for_empty_values():
    assert formats.or_blank("12AB") == "12AB"
    assert 'class="blank blank--long"' in formats.or_blank("", "long")
    assert 'class="blank blank--medium"' in formats.or_blank(None, "<script>")


def test_clause_drops_the_final_full_stop():
    assert formats.clause(" Boîte à clés de la mairie. ") == "Boîte à clés de la mairie"
    assert formats.clause("etc...") == "etc"
    assert formats.clause(None) is None
