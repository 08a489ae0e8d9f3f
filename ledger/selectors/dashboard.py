"""Figures of the admin dashboard: km per vehicle per month, actual cost per km against the
tariff, balances. A constant number of queries for any number of postings."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import TruncMonth

from core.timeutils import add_months
from ledger.models import LedgerTransaction
from ledger.selectors.noprofit import vehicle_figures
from members.models import Association
from vehicles.models import Tariff, Vehicle


@dataclass(frozen=True)
class KmTable:
    months: list[dt.date]  # first day of each month, oldest first
    vehicles: list[Vehicle]
    km: dict[tuple[int, dt.date], int]  # (vehicle id, month) → km

    def row(self, vehicle: Vehicle) -> list[int]:
        return [self.km.get((vehicle.pk, month), 0) for month in self.months]

    def total(self, vehicle: Vehicle) -> int:
        return sum(self.row(vehicle))


@dataclass(frozen=True)
class CostPerKm:
    vehicle: Vehicle
    km: int
    costs: Decimal
    actual_per_km: Decimal | None
    tariff_per_km: Decimal | None


def last_months(today: dt.date, count: int) -> list[dt.date]:
    """The first days of the `count` months ending with today's month."""
    current = today.replace(day=1)
    return [add_months(current, -offset) for offset in range(count - 1, -1, -1)]


def km_per_vehicle_per_month(association: Association, months: list[dt.date]) -> KmTable:
    """Km driven (owners' trips included) per vehicle and month, from the trip postings."""
    last_day = add_months(months[-1], 1) - dt.timedelta(days=1)
    rows = (
        LedgerTransaction.objects.filter(
            association=association,
            kind=LedgerTransaction.Kind.TRIP,
            date__range=(months[0], last_day),
        )
        .annotate(month=TruncMonth("date"))
        .values("vehicle_id", "month")
        .annotate(km=Sum("km"))
        .order_by()
    )
    km = {(row["vehicle_id"], row["month"]): row["km"] or 0 for row in rows}
    vehicles = [
        v
        for v in Vehicle.objects.filter(association=association).order_by("name")
        if v.is_active or any(key[0] == v.pk for key in km)
    ]
    return KmTable(months, vehicles, km)


def _tariffs_on(association: Association, day: dt.date) -> dict[int, Tariff]:
    latest: dict[int, Tariff] = {}
    tariffs = Tariff.objects.filter(vehicle__association=association, valid_from__lte=day)
    for tariff in tariffs.order_by("vehicle_id", "valid_from"):
        latest[tariff.vehicle_id] = tariff
    return latest


def cost_per_km(association: Association, first_day: dt.date, last_day: dt.date) -> list[CostPerKm]:
    """Documented costs (expenses, fuel refunds, depreciation) per km driven, by vehicle."""
    tariffs = _tariffs_on(association, last_day)
    rows = []
    for figures in vehicle_figures(association, first_day, last_day):
        tariff = tariffs.get(figures.vehicle.pk)
        rows.append(
            CostPerKm(
                vehicle=figures.vehicle,
                km=figures.km_total,
                costs=figures.costs,
                actual_per_km=figures.cost_per_km,
                tariff_per_km=tariff.price_per_km if tariff is not None else None,
            )
        )
    return sorted(rows, key=lambda r: r.vehicle.name.casefold())


def km_by_driver(association: Association, first_day: dt.date, last_day: dt.date) -> dict[int, int]:
    """Km driven per membership id between two days (for the period previews)."""
    rows = (
        LedgerTransaction.objects.filter(
            association=association,
            kind=LedgerTransaction.Kind.TRIP,
            date__range=(first_day, last_day),
        )
        .values("driver_id")
        .annotate(km=Sum("km"))
        .order_by()
    )
    result: dict[int, int] = defaultdict(int)
    for row in rows:
        result[row["driver_id"]] += row["km"] or 0
    return result
