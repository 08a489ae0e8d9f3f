"""Balances and the settlement plan, aggregated in the database.

The number of queries does not depend on the number of members or transactions: one
aggregate over the legs grouped by account, one list of the active members.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.cache import cache
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from core.money import ZERO, round_money
from core.prepared import PreparedQuery
from ledger.models import Account, LedgerTransaction, LedgerVersion, Leg
from ledger.periods import Span
from ledger.selectors.presenting import party_name
from ledger.settlement import Transfer, settlement_plan
from members.models import Association, Membership

MONEY = DecimalField(max_digits=12, decimal_places=2)
SETTLEMENT_SECONDS = 600


def db_money(value: Decimal | int | None) -> Decimal:
    """A sum from the database, to the cent.

    SQLite adds decimals as binary floats (36.9 + 0.1 may come back as 36.99999999999), and
    Django quantizes only plain columns; sums of cents are whole cents, so rounding to the
    nearest cent restores the exact value. PostgreSQL's numeric sums are exact already.
    """
    return round_money(value or 0)


@dataclass(frozen=True)
class PartyBalance:
    """A party of the association (a member, the fund, the commune) and its balance."""

    kind: str
    membership_id: int | None
    name: str
    email: str
    balance: Decimal

    @property
    def key(self) -> tuple[str, int | None]:
        return (self.kind, self.membership_id)


def _summed(as_of: dt.date | None) -> Coalesce:
    condition = Q(legs__transaction__date__lte=as_of) if as_of is not None else None
    return Coalesce(Sum("legs__amount", filter=condition), Value(ZERO), output_field=MONEY)


def balances(association: Association, *, as_of: dt.date | None = None) -> list[PartyBalance]:
    """Every party's balance (positive: owed to them), members first by name; sums to 0.00.

    Active members without any posting are listed at 0.00. `as_of` counts postings dated
    on or before that day only.
    """
    accounts = (
        Account.objects.filter(association=association)
        .select_related("membership__user")
        .annotate(balance=_summed(as_of))
    )
    parties = [
        PartyBalance(
            kind=account.kind,
            membership_id=account.membership_id,
            name=party_name(account.kind, account.membership, association),
            email=account.membership.user.email
            if account.membership
            else association.contact_email,
            balance=db_money(account.balance),
        )
        for account in accounts
    ]
    parties += _members_without_account(association, {p.membership_id for p in parties})
    return sorted(parties, key=_order)


def _members_without_account(
    association: Association, known: set[int | None]
) -> list[PartyBalance]:
    members = Membership.objects.filter(
        association=association, status=Membership.Status.ACTIVE
    ).select_related("user")
    return [
        PartyBalance(Account.Kind.MEMBER, m.pk, m.user.display_name, m.user.email, ZERO)
        for m in members
        if m.pk not in known
    ]


_RANKS: dict[str, int] = {Account.Kind.MEMBER: 0, Account.Kind.FUND: 1, Account.Kind.COMMUNE: 2}


def _order(party: PartyBalance) -> tuple[int, str, int]:
    return (_RANKS[party.kind], party.name.casefold(), party.membership_id or 0)


def member_balance(membership: Membership, *, as_of: dt.date | None = None) -> Decimal:
    """One member's balance (0.00 before their first posting)."""
    legs = Leg.objects.filter(
        account__association_id=membership.association_id, account__membership=membership
    )
    if as_of is not None:
        legs = legs.filter(transaction__date__lte=as_of)
    total = legs.aggregate(total=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY))
    return db_money(total["total"])


def settlement(association: Association) -> list[Transfer[PartyBalance]]:
    """At most n − 1 transfers that bring every balance back to zero."""
    parties = [p for p in balances(association) if p.balance != 0]
    return settlement_plan([(party, party.balance) for party in parties])


_LEDGER_VERSION = PreparedQuery(
    lambda association_id: (
        LedgerVersion.objects.filter(association_id=association_id)
        .values_list("version")
        .order_by()
    ),
    association_id=int,
)


def ledger_version(association: Association) -> int:
    """The version of the association's ledger, bumped by a trigger on every write of a leg:
    read it before the legs that a cached value shows (core.fragments). Compiled once
    (core.prepared): "My account" reads it on every view."""
    rows = _LEDGER_VERSION.rows(association_id=association.pk)
    return (rows[0][0] or 0) if rows else 0


def settlement_cached(
    association: Association, version: int | None = None
) -> list[Transfer[PartyBalance]]:
    """`settlement`, from the cache while no leg of the association was written (the version
    is read first, or given when the caller read it: see core.fragments); names may lag by
    at most SETTLEMENT_SECONDS."""
    if version is None:
        version = ledger_version(association)
    key = f"ledger:settlement:{association.pk}:{version}:{get_language()}"
    transfers: list[Transfer[PartyBalance]] | None = cache.get(key)
    if transfers is None:
        transfers = settlement(association)
        cache.set(key, transfers, SETTLEMENT_SECONDS)
    return transfers


def transfers_of(
    transfers: list[Transfer[PartyBalance]], membership: Membership
) -> list[Transfer[PartyBalance]]:
    """The transfers a member makes or receives."""
    return [t for t in transfers if membership.pk in (t.payer.membership_id, t.payee.membership_id)]


def _paid_since(association: Association, day: dt.date) -> dict[tuple[str, int | None], Decimal]:
    """Each party's payment legs dated after `day` (what was settled since)."""
    rows = (
        Leg.objects.filter(
            account__association=association,
            transaction__kind=LedgerTransaction.Kind.PAYMENT,
            transaction__date__gt=day,
        )
        .values("account__kind", "account__membership_id")
        .annotate(total=Sum("amount"))
    )
    return {
        (row["account__kind"], row["account__membership_id"]): db_money(row["total"])
        for row in rows
    }


def period_settlement(association: Association, span: Span) -> list[Transfer[PartyBalance]]:
    """The transfers that settle the balances at the end of `span`, less the payments made
    since (two queries). Later trips and expenses belong to later periods; payments dated
    after the period's end (a bank import, a transfer recorded by hand) count towards it, so
    a plan once paid is empty."""
    paid = _paid_since(association, span.ends_on)
    parties = [
        replace(party, balance=party.balance + paid.get(party.key, ZERO))
        for party in balances(association, as_of=span.ends_on)
    ]
    owed = [p for p in parties if p.balance != 0]
    return settlement_plan([(party, party.balance) for party in owed])


def plan_digest(transfers: list[Transfer[PartyBalance]]) -> str:
    """A short fingerprint of a plan: what the admin saw is what gets recorded."""
    text = "\n".join(
        f"{t.payer.kind}:{t.payer.membership_id}>{t.payee.kind}:{t.payee.membership_id}={t.amount}"
        for t in transfers
    )
    return hashlib.sha256(text.encode()).hexdigest()[:20]
