"""The figures of the annual report as CSV (French, semicolons, through core.csvexport: a
car's name typed by a member cannot run as a formula in the treasurer's spreadsheet).

One row per figure: section, figure, the year before, the year. Money is written with two
decimals and a decimal comma, counts as integers, prices per km with three decimals.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.dates import MONTHS_AP
from django.utils.translation import gettext as _

from bookings.reports.annual import AnnualReport, Comparison
from core.csvexport import Amount, SafeWriter

Row = list[Any]


def _value(value: int | Decimal | None, *, money: bool = False) -> Any:
    if value is None:
        return ""
    if money:
        return Amount(value)
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return value


def _comparison(section: str, row: Comparison) -> Row:
    return [
        section,
        str(row.label),
        _value(row.previous, money=row.money),
        _value(row.current, money=row.money),
    ]


def report_rows(report: AnnualReport) -> Iterator[Row]:
    """The rows of the CSV, in the order of the page."""
    previous, current = report.previous, report.current
    yield [_("Section"), _("Figure"), previous.year, current.year]
    summary = _("The year at a glance")
    yield from (_comparison(summary, row) for row in report.comparisons)
    cars = _("Cars and trips")
    for car, old in report.car_rows:
        either = car or old
        assert either is not None  # noqa: S101 - a row has at least one year
        name = either.vehicle.name
        yield [cars, _("%(car)s: trips") % {"car": name}, _trips(old), _trips(car)]
        yield [cars, _("%(car)s: km") % {"car": name}, _km(old), _km(car)]
        yield [
            cars,
            _("%(car)s: cost per km (€)") % {"car": name},
            _value(old.cost_per_km if old else None),
            _value(car.cost_per_km if car else None),
        ]
    months = _("Kilometres per month")
    for month, (old_km, new_km) in enumerate(
        zip(previous.km_by_month, current.km_by_month, strict=True), start=1
    ):
        yield [months, str(MONTHS_AP[month]), old_km, new_km]
    yield from (_comparison(_("Money in"), row) for row in report.money_in)
    yield from (_comparison(_("Money out"), row) for row in report.money_out)
    no_profit = _("No-profit check")
    for row in current.no_profit:
        yield [no_profit, _("%(car)s: income") % {"car": row.vehicle.name}, "", Amount(row.income)]
        yield [no_profit, _("%(car)s: costs") % {"car": row.vehicle.name}, "", Amount(row.costs)]


def _trips(car: Any) -> int:
    return car.trips if car else 0


def _km(car: Any) -> int:
    return car.km if car else 0


def report_csv(report: AnnualReport) -> HttpResponse:
    association = report.association
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"rapport-annuel-{association.slug}-{report.year}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # spreadsheets then read UTF-8 (é, €)
    SafeWriter(response).writerows(report_rows(report))
    return response
