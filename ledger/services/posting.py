"""The one way money enters the ledger: a balanced transaction in an open period.

Every posting service builds a `Posting` and calls `post()`, which checks that the legs sum
to zero (on every database; PostgreSQL checks it again with a deferred constraint trigger),
that the date is not in a closed period, and that the caller's reference is not already
used; then it writes the transaction, its legs and an audit entry in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.errors import ConflictError, DomainError
from core.money import ZERO, round_money
from core.stored_files import atomic_with_files, store_file
from core.timeutils import local_today
from ledger.models import Account, LedgerTransaction, Leg, Period
from ledger.services.accounts import fund_account
from members.audit import record_audit
from members.models import Association, Membership, User
from members.permissions import Actor, require_admin
from vehicles.models import Tariff, Vehicle

# The service; post, reverse_entry and the rest are helpers of the ledger's services.
__all__ = ["reverse_transaction"]


@dataclass(frozen=True)
class LegSpec:
    account: Account
    amount: Decimal
    memo: str = ""


@dataclass
class Posting:
    """What a posting service wants written; `legs` may repeat an account (they are netted)."""

    kind: str
    date: dt.date
    label: str
    amount: Decimal
    legs: list[LegSpec]
    reference: str = ""
    vehicle: Vehicle | None = None
    owner_kind: str = ""
    driver: Membership | None = None
    km: int | None = None
    hours: Decimal | None = None
    started_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    tariff: Tariff | None = None
    paid_by: Account | None = None
    category: str = ""
    payment_method: str = ""
    receipt: File[Any] | None = None
    audit: dict[str, Any] = field(default_factory=dict)


def net_legs(legs: Iterable[LegSpec]) -> list[LegSpec]:
    """One leg per account (amounts added, first memo kept), zero legs dropped."""
    merged: dict[int, LegSpec] = {}
    for leg in legs:
        known = merged.get(leg.account.pk)
        amount = round_money(leg.amount) + (known.amount if known else ZERO)
        merged[leg.account.pk] = LegSpec(leg.account, amount, known.memo if known else leg.memo)
    return [leg for leg in merged.values() if leg.amount != 0]


def closed_period_on(association: Association, day: dt.date) -> Period | None:
    """The closed period that freezes `day`, if any (closes are consecutive)."""
    return (
        Period.objects.filter(association=association, ends_on__gte=day).order_by("ends_on").first()
    )


def ensure_open(association: Association, day: dt.date) -> None:
    """DomainError unless `day` lies after every closed period of the association."""
    period = closed_period_on(association, day)
    if period is not None:
        raise DomainError(
            _(
                "The period %(period)s is closed: nothing dated %(date)s can be added or "
                "changed. Record a correction dated today instead."
            )
            % {"period": period.key, "date": date_format(day, "SHORT_DATE_FORMAT")},
            code="period_closed",
        )


def first_open_day(association: Association, day: dt.date) -> dt.date:
    """`day` if no closed period holds it, else today (local): a fact that reaches the ledger
    after its period was closed is dated today, like a correction, and never reopens it."""
    if closed_period_on(association, day) is None:
        return day
    return local_today(association.tz)


def _check_balanced(association: Association, legs: list[LegSpec]) -> None:
    if sum((leg.amount for leg in legs), ZERO) != 0:
        raise DomainError(_("This entry does not balance."), code="unbalanced")
    if any(leg.account.association_id != association.pk for leg in legs):
        raise DomainError(_("An account of another association was given."), code="foreign")


def lock_ledger(association: Association) -> None:
    """Serialise the association's postings and closes (lock its fund account row)."""
    Account.objects.select_for_update().filter(pk=fund_account(association).pk).get()


def active_by_reference(association: Association, reference: str) -> LedgerTransaction | None:
    """The transaction posted under `reference` that was not reversed, if any."""
    if not reference:
        return None
    return LedgerTransaction.objects.filter(
        association=association, reference=reference, is_reversed=False
    ).first()


def post(
    *,
    association: Association,
    posting: Posting,
    actor: User | None,
    same_as: Callable[[LedgerTransaction], bool] | None = None,
) -> LedgerTransaction:
    """Write a balanced posting; idempotent on its reference when `same_as` says so.

    A reference already used by a posting that `same_as` accepts returns that posting;
    any other reuse is a ConflictError (reverse the first one, then post again).
    """
    legs = net_legs(posting.legs)
    _check_balanced(association, legs)
    with atomic_with_files():  # a refused posting takes its receipt back
        lock_ledger(association)
        existing = active_by_reference(association, posting.reference)
        if existing is not None:
            if same_as is not None and same_as(existing):
                return existing
            raise ConflictError(
                _("Reference %(reference)s was already posted with other figures.")
                % {"reference": posting.reference},
                code="reference_taken",
            )
        ensure_open(association, posting.date)
        txn = _create(association, posting, actor)
        Leg.objects.bulk_create(
            Leg(transaction=txn, account=leg.account, amount=leg.amount, memo=leg.memo[:120])
            for leg in legs
        )
        record_audit(
            action=f"ledger.{posting.kind}_posted",
            actor=actor,
            association=association,
            target=txn,
            data={"amount": str(txn.amount), "reference": txn.reference, **posting.audit},
        )
    return txn


def _create(association: Association, posting: Posting, actor: User | None) -> LedgerTransaction:
    txn = LedgerTransaction(
        association=association,
        kind=posting.kind,
        date=posting.date,
        label=posting.label[:255],
        amount=round_money(posting.amount),
        reference=posting.reference,
        vehicle=posting.vehicle,
        owner_kind=posting.owner_kind,
        driver=posting.driver,
        km=posting.km,
        hours=posting.hours,
        started_at=posting.started_at,
        ended_at=posting.ended_at,
        tariff=posting.tariff,
        paid_by=posting.paid_by,
        category=posting.category,
        payment_method=posting.payment_method,
        created_by=actor if actor is not None and actor.pk else None,
    )
    if posting.receipt is not None:
        store_file(txn.receipt, posting.receipt.name or "receipt", posting.receipt)
    txn.save()
    return txn


def reverse_transaction(
    *, actor: Actor, entry: LedgerTransaction, reason: str
) -> LedgerTransaction:
    """An admin posts the mirror image of a transaction, dated today (local), and marks it
    reversed.

    The original stays as it was (its period may be closed); its reference is freed so that
    the corrected fact can be posted again under the same reference.
    """
    require_admin(actor, entry.association_id)
    return reverse_entry(entry, reason, actor.user)


def reverse_entry(entry: LedgerTransaction, reason: str, actor: User | None) -> LedgerTransaction:
    """reverse_transaction without its check: for services that checked their actor."""
    association = entry.association
    if entry.reverses_id is not None:
        raise DomainError(
            _("A reversing entry cannot itself be reversed: post the fact again instead."),
            code="reversal_of_reversal",
        )
    today = local_today(association.tz)
    with transaction.atomic():
        lock_ledger(association)
        original = LedgerTransaction.objects.select_for_update().get(pk=entry.pk)
        if original.is_reversed:
            raise ConflictError(_("This entry was already reversed."), code="already_reversed")
        ensure_open(association, today)
        mirror = _mirror(original, today, reason, actor)
        original.is_reversed = True
        original.save(update_fields=["is_reversed"])
        record_audit(
            action="ledger.reversed",
            actor=actor,
            association=association,
            target=original,
            data={"reversal": mirror.pk, "reason": reason[:200]},
        )
    entry.is_reversed = True
    return mirror


def _mirror(
    original: LedgerTransaction, day: dt.date, reason: str, actor: User | None
) -> LedgerTransaction:
    mirror = LedgerTransaction.objects.create(
        association=original.association,
        kind=original.kind,
        date=day,
        label=reason[:255],
        amount=-original.amount,
        vehicle=original.vehicle,
        owner_kind=original.owner_kind,
        driver=original.driver,
        km=-original.km if original.km is not None else None,
        hours=-original.hours if original.hours is not None else None,
        started_at=original.started_at,
        ended_at=original.ended_at,
        tariff=original.tariff,
        paid_by=original.paid_by,
        category=original.category,
        payment_method=original.payment_method,
        reverses=original,
        created_by=actor if actor is not None and actor.pk else None,
    )
    Leg.objects.bulk_create(
        Leg(transaction=mirror, account_id=leg.account_id, amount=-leg.amount, memo=leg.memo)
        for leg in original.legs.all()
    )
    return mirror
