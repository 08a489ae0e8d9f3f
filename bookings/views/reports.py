"""The annual report (admins): the page, its PDF for the general assembly and the commune,
and the CSV of its figures."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.dates import MONTHS, MONTHS_AP
from django.utils.formats import number_format
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from bookings.reports.annual import AnnualReport, annual_report, valid_year
from bookings.reports.spreadsheet import report_csv as figures_csv
from core.pdf import PdfError, render_pdf
from ledger.charts import Series, grouped_bars
from members.access import AssociationRequest, admin_required

SERIES_COLOURS = ("#0f6e47", "#c25e00", "#0b4f7a", "#7a4d00", "#6b3fa0", "#4a5560")
REPORT_LANGUAGE = "fr"  # the printed report goes to a French assembly and council
STYLESHEETS = ("ledger/ledger.css", "bookings/report.css")


def month_labels() -> list[str]:
    return [str(MONTHS_AP[month]) for month in range(1, 13)]


@dataclass(frozen=True)
class Chart:
    """A chart of the report: the SVG, its caption and its text alternative (the figures a
    reader who cannot see the bars needs, also printed under the caption)."""

    svg: SafeString
    caption: str
    summary: str


def _km(value: int) -> str:
    return _("%(km)s km") % {"km": number_format(value, use_l10n=True, force_grouping=True)}


def months_summary(report: AnnualReport) -> str:
    """Each year's total and its busiest month, in words."""
    parts = []
    for figures in (report.current, report.previous):
        if not figures.km:
            parts.append(_("%(year)s: no trip.") % {"year": figures.year})
            continue
        busiest = max(range(12), key=lambda month: figures.km_by_month[month])
        parts.append(
            _("%(year)s: %(total)s, the most in %(month)s (%(km)s).")
            % {
                "year": figures.year,
                "total": _km(figures.km),
                "month": MONTHS[busiest + 1],
                "km": _km(figures.km_by_month[busiest]),
            }
        )
    return " ".join(parts)


def cars_summary(report: AnnualReport) -> str:
    """Each year's km per car, in words."""
    parts = []
    for figures in (report.current, report.previous):
        driven = [car for car in figures.cars if car.km]
        if not driven:
            parts.append(_("%(year)s: no trip.") % {"year": figures.year})
            continue
        cars = ", ".join(f"{car.vehicle.name} {_km(car.km)}" for car in driven)
        parts.append(_("%(year)s: %(cars)s.") % {"year": figures.year, "cars": cars})
    return " ".join(parts)


def charts(report: AnnualReport) -> dict[str, Chart]:
    """Km per month and km per car, the year before beside the year (SVG, server-side)."""
    previous, current = report.previous, report.current
    names = sorted({car.vehicle.name for car in (*previous.cars, *current.cars)})
    km_by_car = [
        {car.vehicle.name: car.km for car in figures.cars} for figures in (previous, current)
    ]
    years = {"previous": previous.year, "year": current.year}
    months_caption = _("Kilometres per month, %(previous)s and %(year)s") % years
    months_text = months_summary(report)
    cars_caption = _("Kilometres per car, %(previous)s and %(year)s") % years
    cars_text = cars_summary(report)
    return {
        "months": Chart(
            grouped_bars(
                chart_id="report-months",
                title=months_caption,
                desc=months_text,
                labels=month_labels(),
                series=[
                    Series(str(previous.year), previous.km_by_month),
                    Series(str(current.year), current.km_by_month),
                ],
                unit="km",
            ),
            months_caption,
            months_text,
        ),
        "cars": Chart(
            grouped_bars(
                chart_id="report-cars",
                title=cars_caption,
                desc=cars_text,
                labels=names,
                series=[
                    Series(str(figures.year), [km.get(name, 0) for name in names])
                    for figures, km in zip((previous, current), km_by_car, strict=True)
                ],
                unit="km",
            ),
            cars_caption,
            cars_text,
        ),
    }


# The PDF engine draws SVG without the page's stylesheet: the printed charts carry their
# colours and type as presentation attributes (the same as ledger.css).
PRINT_ATTRIBUTES = {
    **{f'class="chart-series-{i}"': f'fill="{colour}"' for i, colour in enumerate(SERIES_COLOURS)},
    'class="chart-grid"': 'stroke="#dfe5e2"',
    'class="chart-tick"': 'font-size="11" font-family="DejaVu Sans" fill="#1b1f23"',
    'class="chart-label"': 'font-size="11" font-family="DejaVu Sans" fill="#1b1f23"',
}


def printable(svg: SafeString) -> SafeString:
    """`svg` with its classes' colours and fonts written as attributes, for the PDF."""
    text = str(svg)
    for css_class, attributes in PRINT_ATTRIBUTES.items():
        text = text.replace(css_class, f"{css_class} {attributes}")
    return mark_safe(text)  # noqa: S308 - our own SVG, escaped by format_html; constants added


def _context(report: AnnualReport, *, printed: bool) -> dict[str, Any]:
    drawn = charts(report)
    return {
        "report": report,
        "association": report.association,
        "charts": {
            name: replace(chart, svg=printable(chart.svg)) if printed else chart
            for name, chart in drawn.items()
        },
        "months": list(
            zip(
                month_labels(), report.previous.km_by_month, report.current.km_by_month, strict=True
            )
        ),
        "printed": printed,
    }


@require_safe
@admin_required
def report(request: AssociationRequest, slug: str, year: int) -> HttpResponse:
    """The year's figures beside the year before's, for the general assembly."""
    annual = annual_report(request.association, valid_year(request.association, year))
    context = _context(annual, printed=False)
    context["csv_url"] = reverse("bookings:report_csv", kwargs={"slug": slug, "year": year})
    return render(request, "bookings/report.html", context)


@require_safe
@admin_required
def report_pdf(request: AssociationRequest, slug: str, year: int) -> HttpResponse:
    """The same report, printed (in French) through the document engine."""
    association = request.association
    with translation.override(REPORT_LANGUAGE):  # the criteria's facts are written in French
        annual = annual_report(association, valid_year(association, year))
        title = _("Annual report %(year)s") % {"year": year}
        html = render_to_string("bookings/report_document.html", _context(annual, printed=True))
    try:
        result = render_pdf(
            html=html, title=title, header=association.name, stylesheets=STYLESHEETS
        )
    except PdfError:
        context = {"message": _("The report could not be printed; try again in a moment.")}
        return render(request, "bookings/report_error.html", context, status=503)
    response = HttpResponse(result.pdf, content_type="application/pdf")
    filename = f"rapport-annuel-{association.slug}-{year}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, filename) or ""
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@admin_required
def report_csv(request: AssociationRequest, slug: str, year: int) -> HttpResponse:
    """The figures of the report, for the treasurer's spreadsheet (in French)."""
    association = request.association
    with translation.override(REPORT_LANGUAGE):
        annual = annual_report(association, valid_year(association, year))
        return figures_csv(annual)
