"""The figures of one calendar year of an association, for its annual report.

People: the memberships that ran during the year (joined on or before its last day, not
left before its first), who joined, who left, and the tax households declared (as they are
declared now: a membership keeps no history of its household).

Trips: the completed trips of the logbook (bookings.Trip, checked in), each counted in the
month of its end in the association's zone, as the accounts date its charge. Km are the
odometer's.

Money: the ledger's transactions dated in the year, summed by kind (a reversing entry
cancels its original), the owner sides' income and the vehicles' documented costs of the
no-profit check (ledger.selectors.noprofit), and the trips the accounts hold without a
logbook line (posted by hand), so that both sources can be reconciled.

Every figure costs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from bookings.models import Booking, Trip
from core.money import ZERO
from core.timeutils import make_local
from ledger.models import LedgerTransaction
from ledger.selectors.balances import db_money
from ledger.selectors.noprofit import VehicleYear, no_profit_check
from members.models import Association, Membership
from vehicles.models import Tariff, Vehicle

Kind = LedgerTransaction.Kind
# Money in (to the owners' side, the fund, the commune) and out (costs of the cars).
MONEY_IN = (Kind.FEE, Kind.DAMAGE, Kind.DEDUCTIBLE, Kind.DEPOSIT)
MONEY_OUT = (Kind.EXPENSE, Kind.FUEL)


@dataclass(frozen=True)
class People:
    during: int = 0
    at_end: int = 0
    joined: int = 0
    left: int = 0
    households: int = 0
    without_household: int = 0


@dataclass
class CarYear:
    """One car's year: its trips in the logbook, its accounts and its tariff."""

    vehicle: Vehicle
    trips: int = 0
    km: int = 0
    km_by_month: list[int] = field(default_factory=lambda: [0] * 12)
    drivers: set[int] = field(default_factory=set)
    accounts: VehicleYear | None = None
    price_per_km: Decimal | None = None

    @property
    def cost_per_km(self) -> Decimal | None:
        """None while the accounts hold no cost of the car (nothing to compare the price to)."""
        if self.accounts is None or not self.accounts.costs:
            return None
        return self.accounts.cost_per_km

    @property
    def price_above_cost(self) -> bool:
        cost = self.cost_per_km
        return cost is not None and self.price_per_km is not None and self.price_per_km > cost


@dataclass
class Money:
    """The year's ledger: totals by kind, expenses by category, income of the owners' side."""

    by_kind: dict[str, Decimal] = field(default_factory=dict)
    expenses_by_category: dict[str, Decimal] = field(default_factory=dict)
    owners_income: Decimal = ZERO
    depreciation: Decimal = ZERO
    ledger_trip_km: int = 0
    trips_without_logbook: int = 0
    km_without_logbook: int = 0

    def total(self, kind: str) -> Decimal:
        return self.by_kind.get(kind, ZERO)

    @property
    def money_in(self) -> Decimal:
        return self.owners_income + sum((self.total(kind) for kind in MONEY_IN), ZERO)

    @property
    def money_out(self) -> Decimal:
        return sum((self.total(kind) for kind in MONEY_OUT), ZERO)


@dataclass
class YearFigures:
    year: int
    people: People
    cars: list[CarYear]
    money: Money
    km_by_month: list[int]
    trips_by_month: list[int]
    drivers: int
    paper_trips: int

    @property
    def trips(self) -> int:
        return sum(car.trips for car in self.cars)

    @property
    def km(self) -> int:
        return sum(car.km for car in self.cars)

    @property
    def cars_used(self) -> int:
        return sum(1 for car in self.cars if car.trips)

    @property
    def km_per_trip(self) -> Decimal | None:
        return (Decimal(self.km) / self.trips).quantize(Decimal("0.1")) if self.trips else None

    @property
    def no_profit(self) -> list[VehicleYear]:
        return [car.accounts for car in self.cars if car.accounts is not None]


def year_span(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def figures_for_years(
    association: Association, years: list[int], *, today: dt.date
) -> dict[int, YearFigures]:
    """The figures of each year (two queries for the logbook, two for people and money
    whatever the years, plus the no-profit check's per year)."""
    vehicles = {v.pk: v for v in Vehicle.objects.filter(association=association)}
    trips = _trips(association, years)
    money = _money(association, years)
    people = _people(association, years)
    result = {}
    for year in years:
        accounts = {row.vehicle.pk: row for row in no_profit_check(association, year)}
        cars = _cars(vehicles, trips.get(year, []), accounts, min(year_span(year)[1], today))
        money[year].owners_income = sum((row.income for row in accounts.values()), ZERO)
        money[year].depreciation = sum((row.depreciation for row in accounts.values()), ZERO)
        result[year] = _year(year, people[year], cars, money[year], trips.get(year, []))
    return result


@dataclass(frozen=True)
class TripLine:
    vehicle_id: int
    driver_id: int
    month: int
    km: int
    from_paper: bool


def _trips(association: Association, years: list[int]) -> dict[int, list[TripLine]]:
    tz = association.tz
    start = make_local(dt.date(min(years), 1, 1), dt.time(0), tz)
    end = make_local(dt.date(max(years) + 1, 1, 1), dt.time(0), tz)
    rows = Trip.objects.filter(
        Q(booking__end__gte=start, booking__end__lt=end)
        | Q(checked_in_at__gte=start, checked_in_at__lt=end),
        booking__vehicle__association=association,
        booking__status=Booking.Status.COMPLETED,
        odometer_in__isnull=False,
        checked_in_at__isnull=False,
    ).values_list(
        "booking__vehicle_id",
        "booking__driver_id",
        "booking__end",
        "checked_in_at",
        "odometer_out",
        "odometer_in",
        "from_paper_logbook",
    )
    by_year: dict[int, list[TripLine]] = defaultdict(list)
    for vehicle_id, driver_id, booked_end, checked_in, km_out, km_in, paper in rows:
        if checked_in is None or km_in is None:  # excluded by the query; narrows the types
            continue
        day = max(booked_end, checked_in).astimezone(tz).date()  # the charge's date
        if day.year in years:
            line = TripLine(vehicle_id, driver_id, day.month, km_in - km_out, paper)
            by_year[day.year].append(line)
    return by_year


def _cars(
    vehicles: dict[int, Vehicle],
    trips: list[TripLine],
    accounts: dict[int, VehicleYear],
    tariff_day: dt.date,
) -> list[CarYear]:
    cars = {pk: CarYear(vehicle) for pk, vehicle in vehicles.items()}
    for trip in trips:
        car = cars[trip.vehicle_id]
        car.trips += 1
        car.km += trip.km
        car.km_by_month[trip.month - 1] += trip.km
        car.drivers.add(trip.driver_id)
    for pk, car in cars.items():
        car.accounts = accounts.get(pk)
    shown = [car for car in cars.values() if car.trips or car.accounts is not None]
    prices = _prices_on(list(vehicles), tariff_day)
    for car in shown:
        car.price_per_km = prices.get(car.vehicle.pk)
    return sorted(shown, key=lambda car: car.vehicle.name)


def _prices_on(vehicle_ids: list[int], day: dt.date) -> dict[int, Decimal]:
    """The price per km in force on `day` of each vehicle (one query)."""
    prices: dict[int, Decimal] = {}
    tariffs = (
        Tariff.objects.filter(vehicle_id__in=vehicle_ids, valid_from__lte=day)
        .order_by("vehicle_id", "-valid_from")
        .values_list("vehicle_id", "price_per_km")
    )
    for vehicle_id, price in tariffs:
        prices.setdefault(vehicle_id, price)
    return prices


def _year(
    year: int, people: People, cars: list[CarYear], money: Money, trips: list[TripLine]
) -> YearFigures:
    km_by_month, trips_by_month = [0] * 12, [0] * 12
    for trip in trips:
        km_by_month[trip.month - 1] += trip.km
        trips_by_month[trip.month - 1] += 1
    return YearFigures(
        year=year,
        people=people,
        cars=cars,
        money=money,
        km_by_month=km_by_month,
        trips_by_month=trips_by_month,
        drivers=len({trip.driver_id for trip in trips}),
        paper_trips=sum(1 for trip in trips if trip.from_paper),
    )


def _money(association: Association, years: list[int]) -> dict[int, Money]:
    first, last = year_span(min(years))[0], year_span(max(years))[1]
    rows = (
        LedgerTransaction.objects.filter(association=association, date__range=(first, last))
        .values("date__year", "kind", "category")
        .annotate(total=Sum("amount"), km=Sum("km"))
        .order_by()
    )
    money = {year: Money() for year in years}
    for row in rows:
        year = money.get(row["date__year"])
        if year is None:
            continue
        amount = db_money(row["total"])
        year.by_kind[row["kind"]] = year.by_kind.get(row["kind"], ZERO) + amount
        if row["kind"] == Kind.EXPENSE:
            category = row["category"] or LedgerTransaction.Category.OTHER
            year.expenses_by_category[category] = (
                year.expenses_by_category.get(category, ZERO) + amount
            )
        if row["kind"] == Kind.TRIP:
            year.ledger_trip_km += row["km"] or 0
    _without_logbook(association, (first, last), money)
    return money


def _without_logbook(
    association: Association, days: tuple[dt.date, dt.date], money: dict[int, Money]
) -> None:
    """Trip charges posted by hand, without a trip of the logbook ("booking:<id>")."""
    rows = (
        LedgerTransaction.objects.filter(association=association, kind=Kind.TRIP, date__range=days)
        .exclude(reference__startswith="booking:")
        .values("date__year")
        .annotate(
            count=Count("id", filter=Q(reverses__isnull=True, is_reversed=False)), km=Sum("km")
        )
        .order_by()
    )
    for row in rows:
        if row["date__year"] in money:
            money[row["date__year"]].trips_without_logbook = row["count"]
            money[row["date__year"]].km_without_logbook = row["km"] or 0


def _people(association: Association, years: list[int]) -> dict[int, People]:
    members = list(
        Membership.objects.filter(association=association, joined_on__isnull=False)
        .exclude(status__in=[Membership.Status.PENDING, Membership.Status.REFUSED])
        .values_list("joined_on", "left_on", "household_id")
    )
    return {year: _people_of(members, year) for year in years}


def _people_of(members: list[tuple[Any, Any, Any]], year: int) -> People:
    first, last = year_span(year)
    during = [m for m in members if m[0] <= last and (m[1] is None or m[1] >= first)]
    households: Counter[int] = Counter(m[2] for m in during if m[2] is not None)
    return People(
        during=len(during),
        at_end=sum(1 for m in during if m[1] is None or m[1] > last),
        joined=sum(1 for m in during if m[0] >= first),
        left=sum(1 for m in during if m[1] is not None and m[1] <= last),
        households=len(households),
        without_household=sum(1 for m in during if m[2] is None),
    )
