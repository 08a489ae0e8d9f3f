"""Charts as inline SVG, built on the server: no script, no style attribute (CSP).

Colours come from classes in ledger.css. Each chart has a <title> and a <desc>; the pages
put a table with the same figures beside it for screen readers and for exact values.

Each chart is drawn twice: a wide layout (640 units) and a narrow one (340 units) that
ledger.css shows below 600 px, so that its text stays at least 12 px tall on a 360 px
phone (13 units drawn about 330 px wide) instead of shrinking with a wide drawing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

HEIGHT = 280
RIGHT, TOP, BOTTOM = 12, 32, 48


@dataclass(frozen=True)
class Layout:
    name: str  # the SVG's class modifier and id suffix
    width: int
    left: int  # room for the tick labels
    label_width: int  # room for the row labels of horizontal bars
    char: float  # the width of one character of a label, in units (for thinning labels)


WIDE = Layout("wide", 640, 56, 170, 6.5)
NARROW = Layout("narrow", 340, 60, 120, 7.5)
LAYOUTS = (WIDE, NARROW)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Decimal | int]


def nice_ticks(value: float) -> list[float]:
    """Round axis ticks from 0 to at least `value`: steps of 1, 2 or 5 × a power of ten."""
    if value <= 0:
        return [0.0, 1.0]
    raw_step = value / 4
    power = 10 ** math.floor(math.log10(raw_step))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw_step)
    count = math.ceil(value / step - 1e-9)
    return [step * i for i in range(count + 1)]


def _number(value: Decimal | int) -> str:
    """A figure in the active language's number format."""
    return number_format(value, use_l10n=True)


def _tick_label(value: float) -> str:
    """A tick in the active language's number format (2,5 in French)."""
    decimals = 0 if value == int(value) else len(f"{value:.6g}".split(".")[1])
    return number_format(Decimal(str(round(value, decimals))), decimal_pos=decimals)


def _frame(
    layout: Layout, chart_id: str, title: str, desc: str, body: SafeString, height: int
) -> SafeString:
    if layout is NARROW:
        chart_id = f"{chart_id}-narrow"
    return format_html(
        '<svg class="chart chart--{}" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-t {}-d" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-t">{}</title>'
        '<desc id="{}-d">{}</desc>{}</svg>',
        layout.name,
        layout.width,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        desc,
        body,
    )


def _axis(layout: Layout, ticks: list[float], unit: str) -> SafeString:
    """Horizontal grid lines with their values, and the unit above the axis."""
    plot_height, top = HEIGHT - TOP - BOTTOM, ticks[-1]
    lines = format_html_join(
        "",
        '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="chart-tick" x="{}" y="{}" text-anchor="end">{}</text>',
        (
            (
                layout.left,
                layout.width - RIGHT,
                f"{TOP + plot_height * (1 - t / top):.1f}",
                f"{TOP + plot_height * (1 - t / top):.1f}",
                layout.left - 6,
                f"{TOP + plot_height * (1 - t / top) + 4:.1f}",
                _tick_label(t),
            )
            for t in ticks
        ),
    )
    return format_html(
        '{}<text class="chart-tick" x="{}" y="{}" text-anchor="end">{}</text>',
        lines,
        layout.left - 6,
        TOP - 18,
        unit,
    )


def grouped_bars(
    *,
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str,
) -> SafeString:
    """Vertical bars: one group per label, one bar per series (legend below)."""
    return format_html_join(
        "",
        "{}",
        (
            (_grouped_bars(layout, chart_id, title, desc, labels, series, unit),)
            for layout in LAYOUTS
        ),
    )


def _grouped_bars(
    layout: Layout,
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str,
) -> SafeString:
    ticks = nice_ticks(max((float(v) for s in series for v in s.values), default=0.0))
    top = ticks[-1]
    plot_width, plot_height = layout.width - layout.left - RIGHT, HEIGHT - TOP - BOTTOM
    group = plot_width / max(len(labels), 1)
    bar = group * 0.8 / max(len(series), 1)
    bars = []
    for index, item in enumerate(series):
        for position, value in enumerate(item.values):
            height = plot_height * float(value) / top
            x = layout.left + group * position + group * 0.1 + bar * index
            bars.append(
                (
                    index % 6,
                    f"{x:.1f}",
                    f"{TOP + plot_height - height:.1f}",
                    f"{bar:.1f}",
                    f"{height:.1f}",
                    f"{item.name} : {_number(value)} {unit}",
                )
            )
    body = format_html(
        "{}{}{}{}",
        _axis(layout, ticks, unit),
        format_html_join(
            "",
            '<rect class="chart-series-{}" x="{}" y="{}" width="{}" height="{}">'
            "<title>{}</title></rect>",
            bars,
        ),
        _x_labels(layout, labels, group),
        _legend(layout, series, HEIGHT - 14),
    )
    return _frame(layout, chart_id, title, desc, body, HEIGHT)


def _x_labels(layout: Layout, labels: Sequence[str], group: float) -> SafeString:
    """The labels under the groups; every second (third…) one when they would overlap."""
    widest = max((len(label) for label in labels), default=1) * layout.char + 4
    stride = max(1, math.ceil(widest / group))
    return format_html_join(
        "",
        '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text>',
        (
            (f"{layout.left + group * (i + 0.5):.1f}", HEIGHT - BOTTOM + 16, label)
            for i, label in enumerate(labels)
            if i % stride == 0
        ),
    )


def _fit(label: str, width: float, layout: Layout) -> str:
    """The label, cut with an ellipsis to fit `width` units (the figures' <title> and the
    table beside the chart give it whole)."""
    room = max(int(width / layout.char), 4)
    return label if len(label) <= room else label[: room - 1].rstrip() + "…"


def _legend(layout: Layout, series: Sequence[Series], y: int) -> SafeString:
    step = (layout.width - layout.left) / max(len(series), 1)
    left = layout.left
    return format_html_join(
        "",
        '<rect class="chart-series-{}" x="{}" y="{}" width="10" height="10"/>'
        '<text class="chart-label" x="{}" y="{}">{}</text>',
        (
            (
                i % 6,
                f"{left + step * i:.1f}",
                y - 9,
                f"{left + step * i + 14:.1f}",
                y,
                _fit(s.name, step - 20, layout),
            )
            for i, s in enumerate(series)
        ),
    )


def diverging_bars(
    *, chart_id: str, title: str, desc: str, items: Sequence[tuple[str, Decimal]], unit: str
) -> SafeString:
    """Horizontal bars around zero: positive to the right, negative to the left."""
    return format_html_join(
        "",
        "{}",
        ((_diverging_bars(layout, chart_id, title, desc, items, unit),) for layout in LAYOUTS),
    )


def _diverging_bars(
    layout: Layout,
    chart_id: str,
    title: str,
    desc: str,
    items: Sequence[tuple[str, Decimal]],
    unit: str,
) -> SafeString:
    row, label_width = 26, layout.label_width
    height = TOP + row * max(len(items), 1) + 8
    extent = nice_ticks(max((abs(float(v)) for _l, v in items), default=0.0))[-1]
    middle = label_width + (layout.width - label_width - RIGHT) / 2
    half = (layout.width - label_width - RIGHT) / 2 - 4
    rows = []
    for index, (label, value) in enumerate(items):
        width = half * abs(float(value)) / extent
        x = middle if value >= 0 else middle - width
        y = TOP + row * index
        kind = "positive" if value >= 0 else "negative"
        rows.append(
            (
                label_width - 8,
                y + 15,
                _fit(label, label_width - 12, layout),
                kind,
                f"{x:.1f}",
                y + 4,
                f"{width:.1f}",
                f"{label} : {_number(value)} {unit}",
            )
        )
    body = format_html(
        '<line class="chart-axis" x1="{}" x2="{}" y1="{}" y2="{}"/>{}',
        f"{middle:.1f}",
        f"{middle:.1f}",
        TOP - 4,
        height - 4,
        format_html_join(
            "",
            '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>'
            '<rect class="chart-{}" x="{}" y="{}" width="{}" height="16"><title>{}</title></rect>',
            rows,
        ),
    )
    return _frame(layout, chart_id, title, desc, body, height)
