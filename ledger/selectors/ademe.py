"""The six ADEME criteria of neighbour car sharing, checked against what the data shows.

Each criterion gets a status (ok, warning, problem, manual: the data cannot tell), the facts
found, and what to do. Usage facts come from the year's trip postings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.money import format_euros
from ledger.models import LedgerTransaction
from ledger.selectors.noprofit import OVER, WATCH, VehicleYear
from members.models import Association, Membership
from vehicles.models import Vehicle, VehicleOwnership

OK, WARNING, PROBLEM, MANUAL = "ok", "warning", "problem", "manual"


@dataclass
class Criterion:
    number: int
    title: str
    status: str = OK
    facts: list[str] = field(default_factory=list)
    todo: str = ""


@dataclass
class Usage:
    """The year's trips: drivers per vehicle and (start, end, vehicle) of each trip."""

    drivers: dict[int, set[int]]
    trips: list[LedgerTransaction]


def _usage(association: Association, year: int) -> Usage:
    trips = list(
        LedgerTransaction.objects.filter(
            association=association,
            kind=LedgerTransaction.Kind.TRIP,
            date__year=year,
            reverses__isnull=True,
            is_reversed=False,
        )
        .select_related("vehicle")
        .order_by("vehicle_id", "started_at")
    )
    drivers: dict[int, set[int]] = defaultdict(set)
    for trip in trips:
        if trip.vehicle_id and trip.driver_id:
            drivers[trip.vehicle_id].add(trip.driver_id)
    return Usage(drivers, trips)


def ademe_criteria(
    association: Association, year: int, no_profit: list[VehicleYear]
) -> list[Criterion]:
    """The six criteria in ADEME's order, for the association's active vehicles."""
    vehicles = list(Vehicle.objects.filter(association=association, is_active=True))
    shares: dict[int, list[VehicleOwnership]] = defaultdict(list)
    for share in VehicleOwnership.objects.filter(vehicle__in=vehicles).select_related(
        "owner__user"
    ):
        shares[share.vehicle_id].append(share)
    usage = _usage(association, year)
    members = Membership.objects.filter(association=association).select_related("user")
    people = {m.pk: m for m in members}
    return [
        _used_in_common(vehicles, shares, usage),
        _ownership(vehicles, shares),
        _different_times(usage),
        _households(vehicles, shares, usage, people),
        _lasting(people),
        _no_profit(no_profit),
    ]


def _used_in_common(
    vehicles: list[Vehicle], shares: dict[int, list[VehicleOwnership]], usage: Usage
) -> Criterion:
    item = Criterion(1, _("A car used in common"))
    for vehicle in vehicles:
        owners = {s.owner_id for s in shares[vehicle.pk]}
        others = usage.drivers[vehicle.pk] - owners
        if not others:
            item.status = WARNING
            item.facts.append(
                _("%(vehicle)s: no other driver this year.") % {"vehicle": vehicle.name}
            )
        else:
            item.facts.append(
                ngettext(
                    "%(vehicle)s: %(count)s other driver this year.",
                    "%(vehicle)s: %(count)s other drivers this year.",
                    len(others),
                )
                % {"vehicle": vehicle.name, "count": len(others)}
            )
    if not vehicles:
        item.status = MANUAL
    item.todo = _("A car nobody else drives is not shared: offer it, or take it out of the fleet.")
    return item


def _ownership(vehicles: list[Vehicle], shares: dict[int, list[VehicleOwnership]]) -> Criterion:
    item = Criterion(2, _("Owned by one person, jointly, or by an association"))
    for vehicle in vehicles:
        total = sum((s.share for s in shares[vehicle.pk]), Decimal(0))
        if vehicle.owner_kind == Vehicle.OwnerKind.COMMUNE:
            item.status = PROBLEM if item.status == PROBLEM else WARNING
            item.facts.append(
                _("%(vehicle)s belongs to the commune: check the agreement that lends it.")
                % {"vehicle": vehicle.name}
            )
        elif vehicle.owner_kind != Vehicle.OwnerKind.ASSOCIATION and total != 100:
            item.status = PROBLEM
            item.facts.append(
                _("%(vehicle)s: the owners' shares add up to %(total)s %% instead of 100 %%.")
                % {"vehicle": vehicle.name, "total": total}
            )
    if not item.facts:
        item.facts.append(_("Every car has its owners recorded."))
    item.todo = _("Record each car's owners and their shares on the car's page.")
    return item


def _different_times(usage: Usage) -> Criterion:
    item = Criterion(3, _("Different trips at different times"))
    previous: LedgerTransaction | None = None
    for trip in usage.trips:
        overlapping = (
            previous is not None
            and previous.vehicle_id == trip.vehicle_id
            and previous.ended_at
            and trip.started_at
            and trip.started_at < previous.ended_at
        )
        if overlapping and trip.vehicle is not None:
            item.status = PROBLEM
            item.facts.append(
                _("%(vehicle)s: two trips overlap on %(date)s.")
                % {"vehicle": trip.vehicle.name, "date": trip.date.isoformat()}
            )
        previous = trip
    if not item.facts:
        item.facts.append(_("No two recorded trips of one car overlap."))
    item.todo = _("Check the logbook entries of overlapping trips and correct them.")
    return item


def _households(
    vehicles: list[Vehicle],
    shares: dict[int, list[VehicleOwnership]],
    usage: Usage,
    people: dict[int, Membership],
) -> Criterion:
    item = Criterion(4, _("Between people who are not of the same tax household"))
    for vehicle in vehicles:
        for share in shares[vehicle.pk]:
            household = share.owner.household_id
            for driver_id in usage.drivers[vehicle.pk] - {share.owner_id}:
                driver = people.get(driver_id)
                if household and driver is not None and driver.household_id == household:
                    item.status = PROBLEM
                    item.facts.append(
                        _(
                            "%(owner)s and %(driver)s share %(vehicle)s in one tax household: "
                            "that is family use, not car sharing."
                        )
                        % {
                            "owner": share.owner.user.display_name,
                            "driver": driver.user.display_name,
                            "vehicle": vehicle.name,
                        }
                    )
    undeclared = sum(1 for m in people.values() if m.is_active and m.household_id is None)
    if undeclared:
        item.status = WARNING if item.status == OK else item.status
        item.facts.append(
            ngettext(
                "%(count)s active member has not declared their tax household.",
                "%(count)s active members have not declared their tax household.",
                undeclared,
            )
            % {"count": undeclared}
        )
    item.todo = _(
        "Declare each member's tax household; trips inside one household are not counted "
        "as sharing."
    )
    return item


def _lasting(people: dict[int, Membership]) -> Criterion:
    active = sum(1 for m in people.values() if m.is_active)
    left = sum(1 for m in people.values() if m.status == Membership.Status.LEFT)
    item = Criterion(5, _("A lasting but reversible arrangement"), status=MANUAL)
    item.facts.append(
        _("Active members: %(active)s; members who left: %(left)s.")
        % {"active": active, "left": left}
    )
    item.todo = _("Have each driver sign the agreement: it states its duration and how to end it.")
    return item


def _no_profit(rows: list[VehicleYear]) -> Criterion:
    item = Criterion(6, _("Cost sharing only, no profit for the owner"))
    for row in rows:
        if row.status == OVER:
            item.status = PROBLEM
            item.facts.append(
                _("%(vehicle)s: income of %(income)s against %(costs)s of documented costs.")
                % {
                    "vehicle": row.vehicle.name,
                    "income": format_euros(row.income),
                    "costs": format_euros(row.costs),
                }
            )
        elif row.status == WATCH:
            item.status = WARNING if item.status == OK else item.status
            item.facts.append(
                _("%(vehicle)s: the price per km is above the documented cost per km.")
                % {"vehicle": row.vehicle.name}
            )
    if not item.facts:
        item.facts.append(_("No car's income exceeds its documented costs."))
    item.todo = _(
        "Keep every receipt; lower the price per km of a car that earns more than it costs."
    )
    return item
