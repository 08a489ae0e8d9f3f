"""The no-profit check (ADEME criterion 6), per vehicle and calendar year.

Income: what the vehicle's owner side received from the other drivers — its legs on trip
charges (a co-owner's trip moves money between co-owners only, which nets to zero) and on
shares of expenses. Costs: the documented expenses, the fuel receipts it refunded, and the
depreciation from the tariff calculator (Tariff.depreciation_per_km, else the calculator's
purchase value / km to full depreciation) times the km driven at that tariff.

Status: "over" when income exceeds costs (flagged); "watch" when the others pay more per km
than the documented cost per km of all the km driven (the owner's own km keep it under the
line, but the price is above cost); "ok"; "no_data" when nothing was recorded.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Sum

from core.money import ZERO, round_money
from ledger.models import Account, LedgerTransaction, Leg
from ledger.selectors.balances import db_money
from members.models import Association
from vehicles.models import Tariff, Vehicle, VehicleOwnership

Kind = LedgerTransaction.Kind
OVER, WATCH, OK, NO_DATA = "over", "watch", "ok", "no_data"


@dataclass
class VehicleYear:
    """A vehicle's figures over a span of days (a calendar year for the no-profit check)."""

    vehicle: Vehicle
    km_total: int = 0
    km_others: int = 0
    income: Decimal = ZERO
    expenses: Decimal = ZERO
    fuel_refunds: Decimal = ZERO
    depreciation: Decimal = ZERO
    depreciation_known: bool = True

    @property
    def costs(self) -> Decimal:
        return round_money(self.expenses + self.fuel_refunds + self.depreciation)

    @property
    def margin(self) -> Decimal:
        return self.income - self.costs

    @property
    def cost_per_km(self) -> Decimal | None:
        return (self.costs / self.km_total).quantize(Decimal("0.001")) if self.km_total else None

    @property
    def income_per_km_others(self) -> Decimal | None:
        if not self.km_others:
            return None
        return (self.income / self.km_others).quantize(Decimal("0.001"))

    @property
    def status(self) -> str:
        if not self.income and not self.costs and not self.km_total:
            return NO_DATA
        if self.income > self.costs:
            return OVER
        per_km, cost = self.income_per_km_others, self.cost_per_km
        if per_km is not None and cost is not None and per_km > cost:
            return WATCH
        return OK


def depreciation_rate(tariff: Tariff) -> Decimal | None:
    """€ per km of depreciation from the tariff, or None when the calculator gave none."""
    if tariff.depreciation_per_km is not None:
        return tariff.depreciation_per_km
    calculation: dict[str, Any] = tariff.calculation or {}
    inputs = calculation.get("inputs") or calculation
    try:
        value = Decimal(str(inputs.get("purchase_value")))
        km = Decimal(str(inputs.get("depreciation_km") or inputs.get("km_to_full_depreciation")))
    except (InvalidOperation, AttributeError):
        return None
    return value / km if value > 0 and km > 0 else None


def no_profit_check(association: Association, year: int) -> list[VehicleYear]:
    """One row per vehicle for the calendar year (inactive ones only if they had postings)."""
    return vehicle_figures(association, dt.date(year, 1, 1), dt.date(year, 12, 31))


def vehicle_figures(
    association: Association, first_day: dt.date, last_day: dt.date
) -> list[VehicleYear]:
    """Km, income and costs of each vehicle between two local days (both included)."""
    txns = LedgerTransaction.objects.filter(
        association=association, date__range=(first_day, last_day)
    )
    rows = {v.pk: VehicleYear(v) for v in Vehicle.objects.filter(association=association)}
    owners = _owners(association)
    _add_km(rows, txns, owners)
    _add_costs(rows, txns)
    _add_income(rows, association, (first_day, last_day), owners)
    return [row for row in rows.values() if row.vehicle.is_active or row.status != NO_DATA]


def _owners(association: Association) -> dict[int, set[int]]:
    owners: dict[int, set[int]] = defaultdict(set)
    shares = VehicleOwnership.objects.filter(vehicle__association=association)
    for vehicle_id, owner_id in shares.values_list("vehicle_id", "owner_id"):
        owners[vehicle_id].add(owner_id)
    return owners


def _add_km(rows: dict[int, VehicleYear], txns: Any, owners: dict[int, set[int]]) -> None:
    groups = (
        txns.filter(kind=Kind.TRIP)
        .values("vehicle_id", "driver_id", "tariff_id")
        .annotate(km=Sum("km"))
        .order_by()
    )
    groups = list(groups)
    tariffs = Tariff.objects.in_bulk({g["tariff_id"] for g in groups if g["tariff_id"]})
    for group in groups:
        row, km = rows.get(group["vehicle_id"]), group["km"] or 0
        if row is None:
            continue
        row.km_total += km
        if group["driver_id"] not in owners[group["vehicle_id"]]:
            row.km_others += km
        rate = depreciation_rate(tariffs[group["tariff_id"]]) if group["tariff_id"] else None
        if rate is None:
            row.depreciation_known = row.depreciation_known and km == 0
        else:
            row.depreciation += Decimal(km) * rate
    for row in rows.values():
        row.depreciation = round_money(row.depreciation)


def _add_costs(rows: dict[int, VehicleYear], txns: Any) -> None:
    sums = (
        txns.filter(kind__in=[Kind.EXPENSE, Kind.FUEL], vehicle__isnull=False)
        .values("vehicle_id", "kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for item in sums:
        row = rows.get(item["vehicle_id"])
        if row is None:
            continue
        if item["kind"] == Kind.EXPENSE:
            row.expenses += db_money(item["total"])
        else:
            row.fuel_refunds += db_money(item["total"])


def _owner_side_of(
    row: VehicleYear, kind: str, membership_id: int | None, owners: set[int]
) -> bool:
    owner_kind = row.vehicle.owner_kind
    if owner_kind == Vehicle.OwnerKind.ASSOCIATION:
        return kind == Account.Kind.FUND
    if owner_kind == Vehicle.OwnerKind.COMMUNE:
        return kind == Account.Kind.COMMUNE
    return membership_id in owners


def _add_income(
    rows: dict[int, VehicleYear],
    association: Association,
    days: tuple[dt.date, dt.date],
    owners: dict[int, set[int]],
) -> None:
    legs = (
        Leg.objects.filter(
            transaction__association=association,
            transaction__date__range=days,
            transaction__kind__in=[Kind.TRIP, Kind.EXPENSE_SHARE],
        )
        .values(
            "transaction__vehicle_id",
            "transaction__owner_kind",
            "account__kind",
            "account__membership_id",
        )
        .annotate(total=Sum("amount"))
        .order_by()
    )
    pooled: dict[str, Decimal] = defaultdict(Decimal)
    for leg in legs:
        vehicle_id, kind = leg["transaction__vehicle_id"], leg["account__kind"]
        if vehicle_id is None:  # a provision shared by days of membership, all cars pooled
            if kind != Account.Kind.MEMBER and leg["transaction__owner_kind"]:
                pooled[kind] += db_money(leg["total"])
            continue  # association-wide costs (no owner kind) belong to no car
        row = rows.get(vehicle_id)
        if row and _owner_side_of(row, kind, leg["account__membership_id"], owners[vehicle_id]):
            row.income += db_money(leg["total"])
    _allocate_pooled(rows, pooled)


def _allocate_pooled(rows: dict[int, VehicleYear], pooled: dict[str, Decimal]) -> None:
    """Pooled shares count as income of each shared car pro rata of its expenses."""
    kinds: dict[str, str] = {
        Account.Kind.FUND: Vehicle.OwnerKind.ASSOCIATION,
        Account.Kind.COMMUNE: Vehicle.OwnerKind.COMMUNE,
    }
    for account_kind, total in pooled.items():
        cars = [r for r in rows.values() if r.vehicle.owner_kind == kinds.get(account_kind)]
        expenses = sum((r.expenses for r in cars), ZERO)
        for car in cars:
            if expenses:
                car.income += round_money(total * car.expenses / expenses)
