"""The annual report for the general assembly and the commune: a year's figures beside the
year before's, the no-profit check and the ADEME criteria (ledger), the CSV of the figures.

Years run from 1 January to 31 December in the association's zone; the current year is
shown as it stands today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bookings.reports.figures import MONEY_IN, CarYear, YearFigures, figures_for_years
from core.money import ZERO
from core.timeutils import local_today
from ledger.models import LedgerTransaction
from ledger.selectors.ademe import Criterion, ademe_criteria
from members.models import Association, Membership

FIRST_YEAR = 2000
Kind = LedgerTransaction.Kind


@dataclass(frozen=True)
class Comparison:
    """One figure of the year beside the year before's."""

    key: str
    label: str | Promise
    previous: int | Decimal | None
    current: int | Decimal | None
    money: bool = False

    @property
    def change(self) -> int | Decimal | None:
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous

    @property
    def change_percent(self) -> Decimal | None:
        if self.change is None or not self.previous:
            return None
        return (Decimal(self.change) * 100 / Decimal(self.previous)).quantize(Decimal("1"))


@dataclass(frozen=True)
class AnnualReport:
    association: Association
    year: int
    today: dt.date
    current: YearFigures
    previous: YearFigures
    criteria: list[Criterion]

    @property
    def is_partial(self) -> bool:
        """The current year, not over yet: its figures stand as of today."""
        return self.year == self.today.year

    @property
    def comparisons(self) -> list[Comparison]:
        return [
            _compare(key, label, money, self.previous, self.current) for key, label, money in ROWS
        ]

    @property
    def car_rows(self) -> list[tuple[CarYear | None, CarYear | None]]:
        """(this year, the year before) of each car that had trips or accounts in either."""
        current = {car.vehicle.pk: car for car in self.current.cars}
        previous = {car.vehicle.pk: car for car in self.previous.cars}
        rows = [(current.get(pk), previous.get(pk)) for pk in current.keys() | previous.keys()]
        return sorted(rows, key=lambda row: _car_of(row).vehicle.name)

    @property
    def money_in(self) -> list[Comparison]:
        """What the owners' side, the fund and the commune received, by kind."""
        rows = [
            Comparison(
                "owners_income",
                _("Trips and shared costs, to the cars' owners"),
                self.previous.money.owners_income,
                self.current.money.owners_income,
                money=True,
            )
        ]
        return rows + [self._kind(kind) for kind in MONEY_IN]

    @property
    def money_out(self) -> list[Comparison]:
        """The cars' costs paid in the year: expenses by category, fuel refunded."""
        categories = sorted(
            set(self.previous.money.expenses_by_category)
            | set(self.current.money.expenses_by_category)
        )
        rows = [
            Comparison(
                f"expense:{category}",
                LedgerTransaction.Category(category).label,
                self.previous.money.expenses_by_category.get(category, ZERO),
                self.current.money.expenses_by_category.get(category, ZERO),
                money=True,
            )
            for category in categories
        ]
        return [*rows, self._kind(Kind.FUEL)]

    def _kind(self, kind: str) -> Comparison:
        return Comparison(
            kind,
            LedgerTransaction.Kind(kind).label,
            self.previous.money.total(kind),
            self.current.money.total(kind),
            money=True,
        )


ROWS: tuple[tuple[str, str | Promise, bool], ...] = (
    ("members", _("Members during the year"), False),
    ("members_at_end", _("Members at the end of the year"), False),
    ("joined", _("New members"), False),
    ("left", _("Members who left"), False),
    ("households", _("Tax households declared"), False),
    ("cars_used", _("Cars used"), False),
    ("trips", _("Trips"), False),
    ("km", _("Kilometres driven"), False),
    ("km_per_trip", _("Kilometres per trip"), False),
    ("drivers", _("Members who drove"), False),
    ("fees", _("Membership fees"), True),
    ("owners_income", _("Paid to the cars' owners (trips and shared costs)"), True),
    ("expenses", _("Expenses of the cars"), True),
    ("fuel", _("Fuel receipts refunded"), True),
)


def _car_of(row: tuple[CarYear | None, CarYear | None]) -> CarYear:
    car = row[0] or row[1]
    assert car is not None  # noqa: S101 - a row has at least one year
    return car


def _value(figures: YearFigures, key: str) -> int | Decimal | None:
    people, money = figures.people, figures.money
    values: dict[str, int | Decimal | None] = {
        "members": people.during,
        "members_at_end": people.at_end,
        "joined": people.joined,
        "left": people.left,
        "households": people.households,
        "cars_used": figures.cars_used,
        "trips": figures.trips,
        "km": figures.km,
        "km_per_trip": figures.km_per_trip,
        "drivers": figures.drivers,
        "fees": money.total(Kind.FEE),
        "owners_income": money.owners_income,
        "expenses": money.total(Kind.EXPENSE),
        "fuel": money.total(Kind.FUEL),
    }
    return values[key]


def _compare(
    key: str, label: str | Promise, money: bool, previous: YearFigures, current: YearFigures
) -> Comparison:
    return Comparison(key, label, _value(previous, key), _value(current, key), money)


def valid_year(association: Association, year: int) -> int:
    """A year the report can show: from 2000 to the current one (404 otherwise)."""
    if not FIRST_YEAR <= year <= local_today(association.tz).year:
        raise Http404
    return year


def annual_report(association: Association, year: int) -> AnnualReport:
    """The report of `year` (checked by `valid_year`), with the year before for comparison."""
    today = local_today(association.tz)
    figures = figures_for_years(association, [year - 1, year], today=today)
    current = figures[year]
    criteria = ademe_criteria(association, year, current.no_profit)
    return AnnualReport(association, year, today, current, figures[year - 1], criteria)


def report_section(membership: Membership) -> dict[str, int] | None:
    """The links to this year's and last year's reports, on the home page of admins."""
    if not membership.is_admin:
        return None
    year = local_today(membership.association.tz).year
    return {"year": year, "previous": year - 1}
