"""Access functions for ledger objects: 404 outside the caller's association, 403 for what
the caller may see exists but not open (another member's receipt)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ledger.models import BankImport, Deposit, LedgerTransaction, RecurringExpense
from members.models import Membership
from members.permissions import require_admin
from vehicles.models import MaintenanceEvent


def _transaction(membership: Membership, pk: int) -> LedgerTransaction:
    txn = (
        LedgerTransaction.objects.select_related("vehicle", "driver__user", "association")
        .filter(association_id=membership.association_id, pk=pk)
        .first()
    )
    if txn is None:
        raise Http404
    return txn


def get_transaction_for_member(membership: Membership, pk: int) -> LedgerTransaction:
    """A transaction of the member's association that concerns them (admins: any); 404/403."""
    txn = _transaction(membership, pk)
    if membership.is_admin or txn.driver_id == membership.pk:
        return txn
    if not txn.legs.filter(account__membership=membership).exists():
        raise PermissionDenied
    return txn


def get_transaction_for_admin(membership: Membership, pk: int) -> LedgerTransaction:
    """A transaction of the admin's association, or 404; 403 for non-admins."""
    txn = _transaction(membership, pk)
    require_admin(membership)
    return txn


def get_deposit_for_admin(membership: Membership, pk: int) -> Deposit:
    """A deposit of the admin's association, or 404; 403 for non-admins."""
    deposit = (
        Deposit.objects.select_related("membership__user", "association")
        .filter(association_id=membership.association_id, pk=pk)
        .first()
    )
    if deposit is None:
        raise Http404
    require_admin(membership)
    return deposit


def get_maintenance_for_admin(membership: Membership, pk: int) -> MaintenanceEvent:
    """A maintenance event of a vehicle of the admin's association, or 404; 403 otherwise."""
    event = (
        MaintenanceEvent.objects.select_related("vehicle__association", "paid_by")
        .filter(vehicle__association_id=membership.association_id, pk=pk)
        .first()
    )
    if event is None:
        raise Http404
    require_admin(membership)
    return event


def get_recurring_for_admin(membership: Membership, pk: int) -> RecurringExpense:
    """A recurring expense of the admin's association, or 404; 403 for non-admins."""
    recurring = (
        RecurringExpense.objects.select_related("vehicle", "paid_by", "association")
        .filter(association_id=membership.association_id, pk=pk)
        .first()
    )
    if recurring is None:
        raise Http404
    require_admin(membership)
    return recurring


def get_bank_import_for_admin(membership: Membership, pk: int) -> BankImport:
    """A bank statement import of the admin's association, or 404; 403 for non-admins."""
    found = (
        BankImport.objects.select_related("association")
        .filter(association_id=membership.association_id, pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    require_admin(membership)
    return found
