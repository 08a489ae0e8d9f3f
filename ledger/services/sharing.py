"""Sharing the expenses of association and commune cars among drivers, at period close.

The association's rule (Association.expense_sharing):
- "km": each car's expenses of the period go to the members who drove it in the period,
  pro rata of their km (from the trip charges); a car nobody drove keeps its expenses on
  its owner side (the fund or the commune) and the preview says so;
- "days": the period's expenses of all the association's cars (resp. the commune's cars)
  are a provision shared by the members pro rata of their days of membership in the period.
Expenses of members' cars are not shared this way: their owners recover them through the
price per km.

Costs of the association as a whole (no car: a group insurance policy, recorded with
`post_association_expense`) are borne by the fund and shared at close among the members by
their days of membership in the period, whatever the rule: every member is covered alike,
whichever car they drive. Their share carries no car and no owner kind, so the no-profit
check of each car leaves it out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum

from core.money import split_amount
from ledger.models import Account, LedgerTransaction
from ledger.periods import Span
from ledger.selectors.balances import db_money
from ledger.services.accounts import commune_account, fund_account, member_account
from ledger.services.posting import LegSpec, Posting, post
from members.models import Association, Membership, User
from vehicles.models import Vehicle

SHARED_OWNER_KINDS = (Vehicle.OwnerKind.ASSOCIATION, Vehicle.OwnerKind.COMMUNE)
KM = Association.ExpenseSharing.KM
# The owner kind of association-wide costs: none (they belong to no car's owner side).
ASSOCIATION_WIDE = ""


@dataclass
class ShareLine:
    membership: Membership
    weight: int  # km driven or days of membership
    amount: Decimal = Decimal("0.00")


@dataclass
class SharePlan:
    """One sharing transaction to post at close (or why nothing is shared)."""

    owner_kind: str
    vehicle: Vehicle | None
    total: Decimal
    lines: list[ShareLine] = field(default_factory=list)

    @property
    def reference_suffix(self) -> str:
        if self.vehicle is not None:
            return str(self.vehicle.pk)
        return self.owner_kind or "association-wide"

    @property
    def association_wide(self) -> bool:
        return self.vehicle is None and self.owner_kind == ASSOCIATION_WIDE

    @property
    def shared(self) -> bool:
        return bool(self.lines)


# Helpers of the close (ledger.services.closing); no service here.
__all__: list[str] = []


def _owner_account(association: Association, owner_kind: str) -> Account:
    """Who bears what is shared: the commune for its cars, else the fund."""
    if owner_kind == Vehicle.OwnerKind.COMMUNE:
        return commune_account(association)
    return fund_account(association)


@dataclass(frozen=True)
class ExpenseTotal:
    vehicle_id: int
    owner_kind: str
    total: Decimal


def _expense_totals(association: Association, span: Span) -> list[ExpenseTotal]:
    rows = (
        LedgerTransaction.objects.filter(
            association=association,
            kind=LedgerTransaction.Kind.EXPENSE,
            owner_kind__in=SHARED_OWNER_KINDS,
            date__range=(span.starts_on, span.ends_on),
        )
        .values("vehicle_id", "owner_kind")
        .annotate(total=Sum("amount"))
        .order_by("owner_kind", "vehicle_id")
    )
    return [
        ExpenseTotal(row["vehicle_id"], row["owner_kind"], db_money(row["total"]))
        for row in rows
        if db_money(row["total"])
    ]


def membership_days(membership: Membership, span: Span) -> int:
    """Days of membership inside the span (joined_on and left_on included)."""
    first = max(span.starts_on, membership.joined_on or span.starts_on)
    last = min(span.ends_on, membership.left_on or span.ends_on)
    return max(0, (last - first).days + 1)


def _members_by_days(association: Association, span: Span) -> list[ShareLine]:
    candidates = Membership.objects.filter(association=association).filter(
        Q(status=Membership.Status.ACTIVE)
        | Q(status=Membership.Status.SUSPENDED)
        | Q(status=Membership.Status.LEFT, left_on__gte=span.starts_on)
    )
    lines = [ShareLine(m, membership_days(m, span)) for m in candidates.select_related("user")]
    return sorted((line for line in lines if line.weight > 0), key=lambda x: x.membership.pk)


def _drivers_by_km(association: Association, span: Span) -> dict[int, list[ShareLine]]:
    rows = (
        LedgerTransaction.objects.filter(
            association=association,
            kind=LedgerTransaction.Kind.TRIP,
            date__range=(span.starts_on, span.ends_on),
            driver__isnull=False,
        )
        .values("vehicle_id", "driver_id")
        .annotate(km=Sum("km"))
        .order_by("vehicle_id", "driver_id")
    )
    members = Membership.objects.in_bulk({row["driver_id"] for row in rows})
    by_vehicle: dict[int, list[ShareLine]] = defaultdict(list)
    for row in rows:
        if row["km"] and row["km"] > 0:
            by_vehicle[row["vehicle_id"]].append(ShareLine(members[row["driver_id"]], row["km"]))
    return by_vehicle


def _association_wide_total(association: Association, span: Span) -> Decimal:
    total = LedgerTransaction.objects.filter(
        association=association,
        kind=LedgerTransaction.Kind.EXPENSE,
        vehicle__isnull=True,
        owner_kind=ASSOCIATION_WIDE,
        date__range=(span.starts_on, span.ends_on),
    ).aggregate(total=Sum("amount"))["total"]
    return db_money(total)


def expense_sharing_plan(association: Association, span: Span) -> list[SharePlan]:
    """What closing the period would post to share the shared cars' expenses and the
    association-wide costs."""
    totals = _expense_totals(association, span)
    plans: list[SharePlan] = []
    if totals and association.expense_sharing == KM:
        plans = _plans_by_km(association, span, totals)
    elif totals:
        plans = _plans_by_days(association, span, totals)
    general = _association_wide_total(association, span)
    if general:
        members = _members_by_days(association, span)
        plans.append(SharePlan(ASSOCIATION_WIDE, None, general, members))
    for plan in plans:
        _split(plan)
    return plans


def _plans_by_km(
    association: Association, span: Span, totals: list[ExpenseTotal]
) -> list[SharePlan]:
    drivers = _drivers_by_km(association, span)
    vehicles = Vehicle.objects.in_bulk({row.vehicle_id for row in totals})
    return [
        SharePlan(
            owner_kind=row.owner_kind,
            vehicle=vehicles[row.vehicle_id],
            total=row.total,
            lines=drivers.get(row.vehicle_id, []),
        )
        for row in totals
    ]


def _plans_by_days(
    association: Association, span: Span, totals: list[ExpenseTotal]
) -> list[SharePlan]:
    pooled: dict[str, Decimal] = defaultdict(Decimal)
    for row in totals:
        pooled[row.owner_kind] += row.total
    members = _members_by_days(association, span)
    return [
        SharePlan(owner_kind=kind, vehicle=None, total=total, lines=[*members])
        for kind, total in sorted(pooled.items())
        if total
    ]


def _split(plan: SharePlan) -> None:
    if not plan.lines:
        return
    parts = split_amount(plan.total, [line.weight for line in plan.lines])
    plan.lines = [
        ShareLine(line.membership, line.weight, part)
        for line, part in zip(plan.lines, parts, strict=True)
    ]


def post_expense_shares(
    *, association: Association, span: Span, actor: User | None
) -> list[LedgerTransaction]:
    """Post the period's sharing transactions, dated on its last day (called by the close)."""
    posted = []
    for plan in expense_sharing_plan(association, span):
        if not plan.shared:
            continue
        owner = _owner_account(association, plan.owner_kind)
        legs = [LegSpec(owner, plan.total)]
        legs += [LegSpec(member_account(line.membership), -line.amount) for line in plan.lines]
        posting = Posting(
            kind=LedgerTransaction.Kind.EXPENSE_SHARE,
            date=span.ends_on,
            label="",
            amount=plan.total,
            legs=legs,
            reference=f"share:{span.key}:{plan.reference_suffix}",
            vehicle=plan.vehicle,
            owner_kind=plan.owner_kind,
            km=sum(line.weight for line in plan.lines) if plan.vehicle else None,
        )
        posted.append(post(association=association, posting=posting, actor=actor))
    return posted
