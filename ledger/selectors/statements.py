"""A member's statement for a period, as plain data (strings, dates, decimals).

The same context feeds the HTML page and the PDF document: no model instance leaks into
it, so an association's template cannot reach anything else. A closed period's statement
never changes (nothing dated in it can), so it is computed again rather than stored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from core.money import ZERO
from core.timeutils import local_today
from ledger.models import LedgerTransaction, Leg, Period
from ledger.periods import Span
from ledger.selectors.balances import member_balance
from ledger.selectors.presenting import describe
from members.models import Membership

Kind = LedgerTransaction.Kind

# Sections in the order a statement lists them.
SECTIONS: list[tuple[str, tuple[str, ...]]] = [
    ("trips", (Kind.TRIP,)),
    ("fuel", (Kind.FUEL,)),
    ("expenses", (Kind.EXPENSE, Kind.EXPENSE_SHARE)),
    ("damage", (Kind.DAMAGE, Kind.DEDUCTIBLE)),
    ("fees", (Kind.FEE, Kind.DEPOSIT)),
    ("payments", (Kind.PAYMENT,)),
]


def _section_titles() -> dict[str, str]:
    return {
        "trips": _("Trips"),
        "fuel": _("Fuel refunds"),
        "expenses": _("Vehicle expenses and shares of expenses"),
        "damage": _("Damage and deductibles"),
        "fees": _("Membership fees and deposits"),
        "payments": _("Payments"),
    }


def _line(txn: LedgerTransaction, amount: Decimal) -> dict[str, Any]:
    return {
        "number": txn.pk,
        "date": txn.date,
        "description": describe(txn),
        "vehicle": txn.vehicle.name if txn.vehicle is not None else "",
        "km": txn.km if txn.kind == Kind.TRIP else None,
        "amount": amount,
    }


def _transactions(membership: Membership, span: Span) -> list[tuple[LedgerTransaction, Decimal]]:
    """(transaction, the member's amount) for the period: their legs, plus their free trips."""
    base = LedgerTransaction.objects.filter(
        association_id=membership.association_id,
        date__range=(span.starts_on, span.ends_on),
    ).select_related("vehicle", "driver__user")
    own_legs = Prefetch(
        "legs",
        queryset=Leg.objects.filter(account__membership=membership),
        to_attr="own_legs",
    )
    rows = base.filter(legs__account__membership=membership) | base.filter(
        driver=membership, kind=Kind.TRIP
    )
    found = rows.distinct().order_by("date", "pk").prefetch_related(own_legs)
    return [(txn, sum((leg.amount for leg in txn.own_legs), ZERO)) for txn in found]


def statement_context(membership: Membership, span: Span) -> dict[str, Any]:
    """Opening balance, the period's lines by section, totals and the closing balance."""
    association = membership.association
    opening = member_balance(membership, as_of=span.starts_on - dt.timedelta(days=1))
    titles = _section_titles()
    by_kind: dict[str, str] = {kind: key for key, kinds in SECTIONS for kind in kinds}
    sections: dict[str, dict[str, Any]] = {
        key: {"key": key, "title": titles[key], "lines": [], "total": ZERO} for key, _k in SECTIONS
    }
    km = 0
    for txn, amount in _transactions(membership, span):
        section = sections[by_kind[txn.kind]]
        section["lines"].append(_line(txn, amount))
        section["total"] += amount
        if txn.kind == Kind.TRIP and txn.driver_id == membership.pk:
            km += txn.km or 0
    movement = sum((s["total"] for s in sections.values()), ZERO)
    closed = Period.objects.filter(association=association, ends_on__gte=span.ends_on).exists()
    return {
        "association": association.name,
        "commune": association.commune,
        "member": membership.user.display_name,
        "email": membership.user.email,
        "period": span.key,
        "starts_on": span.starts_on,
        "ends_on": span.ends_on,
        "is_final": closed,
        "opening_balance": opening,
        "sections": [s for s in sections.values() if s["lines"]],
        "km_driven": km,
        "movement": movement,
        "closing_balance": opening + movement,
        "printed_on": local_today(association.tz),
    }
