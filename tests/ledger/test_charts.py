from decimal import Decimal

from django.utils import translation

from ledger.charts import Series, diverging_bars, grouped_bars, nice_ticks


def test_ticks_are_round_numbers_reaching_the_largest_value():
    assert nice_ticks(123) == [0, 50, 100, 150]
    assert nice_ticks(2.257) == [0, 1, 2, 3]
    assert nice_ticks(0) == [0.0, 1.0]
    assert nice_ticks(0.3)[-1] >= 0.3


def test_names_are_escaped_and_no_style_or_script_is_emitted():
    svg = grouped_bars(
        chart_id="c",
        title="Km",
        desc="d",
        labels=["Jan"],
        series=[Series('<script>alert(1)</script>"', [Decimal("1.5")])],
        unit="km",
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "style=" not in svg
    assert 'role="img"' in svg and '<title id="c-t">Km</title>' in svg


def test_tick_labels_follow_the_language():
    with translation.override("fr"):
        svg = grouped_bars(
            chart_id="c",
            title="t",
            desc="d",
            labels=["a"],
            series=[Series("s", [Decimal("0.3")])],
            unit="€",
        )
    assert ">0,1<" in svg
    assert "s : 0,3 €" in svg


def test_negative_balances_go_left_of_the_axis():
    svg = diverging_bars(
        chart_id="b",
        title="t",
        desc="d",
        items=[("A", Decimal("-10")), ("B", Decimal("10"))],
        unit="€",
    )
    assert 'class="chart-negative"' in svg and 'class="chart-positive"' in svg
