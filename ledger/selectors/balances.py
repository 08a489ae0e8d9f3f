"""Balances and the settlement plan, aggregated in the database.

The number of queries does not depend on the number of members or transactions: one
aggregate over the legs grouped by account, one list of the active members.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from core.money import ZERO, round_money
from ledger.models import Account, LedgerVersion, Leg
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


def ledger_version(association: Association) -> int:
    """The version of the association's ledger, bumped by a trigger on every write of a leg:
    read it before the legs that a cached value shows (core.fragments)."""
    version = (
        LedgerVersion.objects.filter(association_id=association.pk)
        .values_list("version", flat=True)
        .first()
    )
    return version or 0


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
