"""Vehicle expenses (insurance, roadworthiness test, maintenance, repairs, tax…).

An expense credits whoever paid it and is borne by the vehicle's owner side. Maintenance
events of `vehicles` are posted automatically: a post_save receiver (registered in
LedgerConfig.ready) calls `sync_maintenance_expense`, which posts the cost, or reverses and
posts again after an edit; a deleted event's expense is reversed. An event dated in a closed
period is posted on today's date (the closed period stays as printed).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.money import round_money
from core.timeutils import local_today
from ledger.models import Account, LedgerTransaction
from ledger.services.accounts import fund_account, member_account, owner_side, split_over
from ledger.services.posting import (
    LegSpec,
    Posting,
    active_by_reference,
    closed_period_on,
    post,
    reverse_entry,
)
from members.models import Association, User
from members.permissions import Actor, require_admin
from vehicles.models import MaintenanceEvent, Vehicle
from vehicles.permissions import require_manager

Category = LedgerTransaction.Category

MAINTENANCE_CATEGORIES: dict[str, str] = {
    MaintenanceEvent.Kind.SERVICE: Category.MAINTENANCE,
    MaintenanceEvent.Kind.TYRES: Category.TYRES,
    MaintenanceEvent.Kind.REPAIR: Category.REPAIR,
    MaintenanceEvent.Kind.ROADWORTHINESS: Category.ROADWORTHINESS,
    MaintenanceEvent.Kind.OTHER: Category.OTHER,
}

# The services; the others are helpers.
__all__ = [
    "post_association_expense",
    "post_expense",
    "sync_maintenance_expense",
    "withdraw_maintenance_expense",
]


def post_expense(
    *,
    actor: Actor,
    vehicle: Vehicle,
    category: str,
    amount: Decimal,
    incurred_on: dt.date,
    paid_by: Account,
    description: str,
    receipt: File[Any] | None = None,
    reference: str = "",
) -> LedgerTransaction:
    """An admin credits the payer and charges the vehicle's owner side (co-owners by share)."""
    require_admin(actor, vehicle.association_id)
    return book_vehicle_expense(
        vehicle=vehicle,
        category=category,
        amount=amount,
        incurred_on=incurred_on,
        paid_by=paid_by,
        description=description,
        user=actor.user,
        receipt=receipt,
        reference=reference,
    )


def book_vehicle_expense(
    *,
    vehicle: Vehicle,
    category: str,
    amount: Decimal,
    incurred_on: dt.date,
    paid_by: Account,
    description: str,
    user: User | None,
    receipt: File[Any] | None = None,
    reference: str = "",
) -> LedgerTransaction:
    """A vehicle expense, unchecked: for the services that checked their actor already."""
    if paid_by.association_id != vehicle.association_id:
        raise DomainError(_("The payer belongs to another association."), code="foreign")
    if category not in Category.values:
        raise DomainError(_("Unknown expense category."), code="category")
    amount = round_money(amount)
    if amount <= 0:
        raise DomainError(_("The amount must be greater than zero."), code="amount")
    legs = [LegSpec(paid_by, amount)]
    legs += [LegSpec(account, -part) for account, part in split_over(amount, owner_side(vehicle))]
    posting = Posting(
        kind=LedgerTransaction.Kind.EXPENSE,
        date=incurred_on,
        label=description,
        amount=amount,
        legs=legs,
        reference=reference,
        vehicle=vehicle,
        owner_kind=vehicle.owner_kind,
        paid_by=paid_by,
        category=category,
        receipt=receipt,
    )
    return post(association=vehicle.association, posting=posting, actor=user)


def post_association_expense(
    *,
    actor: Actor,
    association: Association,
    category: str,
    amount: Decimal,
    incurred_on: dt.date,
    paid_by: Account,
    description: str,
    reference: str = "",
) -> LedgerTransaction:
    """An admin records a cost of the association as a whole (a group insurance policy, a
    parking space for every car): the payer is credited and the fund bears it. It belongs
    to no car: the no-profit check of each car leaves it out, and the period's close shares
    it among the members by their days of membership (docs/ledger.md, "Association-wide
    costs")."""
    require_admin(actor, association.pk)
    return book_association_expense(
        association=association,
        category=category,
        amount=amount,
        incurred_on=incurred_on,
        paid_by=paid_by,
        description=description,
        user=actor.user,
        reference=reference,
    )


def book_association_expense(
    *,
    association: Association,
    category: str,
    amount: Decimal,
    incurred_on: dt.date,
    paid_by: Account,
    description: str,
    user: User | None,
    reference: str = "",
) -> LedgerTransaction:
    """An association-wide expense, unchecked: for the services that checked their actor."""
    if paid_by.association_id != association.pk:
        raise DomainError(_("The payer belongs to another association."), code="foreign")
    if category not in Category.values:
        raise DomainError(_("Unknown expense category."), code="category")
    amount = round_money(amount)
    if amount <= 0:
        raise DomainError(_("The amount must be greater than zero."), code="amount")
    posting = Posting(
        kind=LedgerTransaction.Kind.EXPENSE,
        date=incurred_on,
        label=description,
        amount=amount,
        legs=[LegSpec(paid_by, amount), LegSpec(fund_account(association), -amount)],
        reference=reference,
        paid_by=paid_by,
        category=category,
    )
    return post(association=association, posting=posting, actor=user)


def maintenance_reference(event_id: int) -> str:
    return f"maintenance:{event_id}"


def _maintenance_payer(event: MaintenanceEvent) -> Account:
    """The member who paid, or the association's fund when nobody is named."""
    if event.paid_by is not None:
        return member_account(event.paid_by)
    return fund_account(event.vehicle.association)


def _posting_day(association: Association, day: dt.date) -> dt.date:
    """`day`, or today when `day` lies in a closed period."""
    if closed_period_on(association, day) is None:
        return day
    return local_today(association.tz)


def sync_maintenance_expense(*, actor: Actor, event: MaintenanceEvent) -> LedgerTransaction | None:
    """Make the ledger match a maintenance event (post, or reverse and post again): whoever
    may record the vehicle's maintenance (its owners, the admins)."""
    require_manager(actor, event.vehicle)
    association = event.vehicle.association
    existing = active_by_reference(association, maintenance_reference(event.pk))
    payer = _maintenance_payer(event)
    category = MAINTENANCE_CATEGORIES.get(event.kind, Category.OTHER)
    day = _posting_day(association, event.date)
    if existing is not None and _unchanged(existing, event, payer, category, day):
        return existing
    with transaction.atomic():
        if existing is not None:
            reverse_entry(existing, str(_("maintenance changed")), actor.user)
        if event.cost <= 0:
            return None
        return book_vehicle_expense(
            vehicle=event.vehicle,
            category=category,
            amount=event.cost,
            incurred_on=day,
            paid_by=payer,
            description=event.description or str(event.get_kind_display()),
            user=actor.user,
            reference=maintenance_reference(event.pk),
        )


def _unchanged(
    txn: LedgerTransaction, event: MaintenanceEvent, payer: Account, category: str, day: dt.date
) -> bool:
    same = (txn.amount, txn.paid_by_id, txn.vehicle_id, txn.category) == (
        event.cost,
        payer.pk,
        event.vehicle_id,
        category,
    )
    # A posting moved to today because its period had closed keeps its date.
    return same and (txn.date == day or day != event.date)


def withdraw_maintenance_expense(
    *, actor: Actor, association: Association, event_id: int
) -> LedgerTransaction | None:
    """Reverse the expense of a deleted maintenance event, if it was posted (an admin)."""
    require_admin(actor, association.pk)
    existing = active_by_reference(association, maintenance_reference(event_id))
    if existing is None:
        return None
    reason = str(_("maintenance deleted"))
    return reverse_entry(existing, reason, actor.user)
