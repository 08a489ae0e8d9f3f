"""Vehicle expenses (insurance, roadworthiness test, maintenance, repairs, tax…).

An expense credits whoever paid it and is borne by the vehicle's owner side. Recording a
maintenance event posts its cost in the same transaction (`record_maintenance_with_expense`,
the maintenance page's service): an event whose cost cannot be posted (no owner recorded…)
is refused with the ledger's reason, so a record never misses its expense. An event dated
in a closed period is posted on today's date (the closed period stays as printed).
An event recorded before that rule whose cost never reached the ledger (the old signal
logged the refusal and moved on) is posted once by `post_unposted_maintenance`, from the
ledger's expenses page; an event whose entry was cancelled is never posted again.
`sync_maintenance_expense` makes the ledger match an event (post, or reverse and post again).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.errors import ConflictError, DomainError
from core.money import round_money
from core.stored_files import atomic_with_files
from core.timeutils import local_today
from ledger.models import Account, LedgerTransaction
from ledger.services.accounts import fund_account, member_account, owner_side, split_over
from ledger.services.posting import (
    LegSpec,
    Posting,
    active_by_reference,
    closed_period_on,
    lock_ledger,
    post,
    reverse_entry,
)
from members.models import Association, Membership, User
from members.permissions import Actor, require_admin
from vehicles.models import MaintenanceEvent, Vehicle
from vehicles.permissions import require_manager
from vehicles.services import record_maintenance

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
    "post_unposted_maintenance",
    "record_maintenance_with_expense",
    "sync_maintenance_expense",
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


def record_maintenance_with_expense(
    *, actor: Membership, vehicle: Vehicle, fields: Mapping[str, Any]
) -> MaintenanceEvent:
    """An owner or an admin records a maintenance event (the vehicles service: its rules, its
    check, its audit entry) and its cost is posted, in one transaction: both are saved, or
    neither (nor the receipt's file) and the refusal is raised."""
    with atomic_with_files():
        event = record_maintenance(actor=actor, vehicle=vehicle, fields=fields)
        sync_maintenance_expense(actor=actor, event=event)
    return event


def post_unposted_maintenance(*, actor: Actor, event: MaintenanceEvent) -> LedgerTransaction | None:
    """An admin posts the cost of a maintenance event that never reached the ledger (recorded
    before maintenance was posted with its record). Refused (already_posted) once any entry
    was posted under its reference, even cancelled since: a cancelled entry is not posted
    again."""
    association = event.vehicle.association
    require_admin(actor, association.pk)
    with transaction.atomic():
        lock_ledger(association)  # two clicks on the button post once
        reference = maintenance_reference(event.pk)
        if LedgerTransaction.objects.filter(association=association, reference=reference).exists():
            raise ConflictError(
                _(
                    "This maintenance reached the ledger already (its entry may have been "
                    "cancelled since): it is not posted again."
                ),
                code="already_posted",
            )
        return sync_maintenance_expense(actor=actor, event=event)
