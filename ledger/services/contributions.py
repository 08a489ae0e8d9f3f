"""Membership fees, payments between parties and deposit cheques."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.errors import ConflictError, DomainError
from core.money import format_euros, round_money
from ledger.models import Account, Deposit, LedgerTransaction
from ledger.services.accounts import fund_account, member_account
from ledger.services.posting import LegSpec, Posting, post
from members.audit import record_audit
from members.models import Association, Membership, User
from members.permissions import Actor, require_admin
from vehicles.models import InsurancePolicy, Vehicle
from vehicles.selectors import active_policy

# The services; required_deposit is a read the deposit page uses too.
__all__ = [
    "cash_deposit",
    "charge_membership_fee",
    "charge_membership_fees",
    "record_deposit",
    "record_payment",
    "return_deposit",
]


def _positive(amount: Decimal) -> Decimal:
    rounded = round_money(amount)
    if rounded <= 0:
        raise DomainError(_("The amount must be greater than zero."), code="amount")
    return rounded


def charge_membership_fee(
    *,
    actor: Actor,
    membership: Membership,
    label: str,
    charged_on: dt.date,
    amount: Decimal | None = None,
) -> LedgerTransaction:
    """An admin charges a member's fee for `label` (e.g. "2026") to the fund; once per
    member and label."""
    require_admin(actor, membership.association_id)
    association = membership.association
    fee = _positive(association.membership_fee if amount is None else amount)
    posting = Posting(
        kind=LedgerTransaction.Kind.FEE,
        date=charged_on,
        label=label,
        amount=fee,
        legs=[LegSpec(member_account(membership), -fee), LegSpec(fund_account(association), fee)],
        reference=f"fee:{membership.pk}:{label}"[:80],
        driver=membership,
    )
    return post(
        association=association,
        posting=posting,
        actor=actor.user,
        same_as=lambda txn: txn.amount == fee,
    )


def charge_membership_fees(
    *,
    actor: Actor,
    association: Association,
    label: str,
    charged_on: dt.date,
    amount: Decimal | None = None,
) -> list[LedgerTransaction]:
    """An admin charges the fee (the association's, or `amount`) to every active member,
    all or none; members already charged for `label` keep their charge."""
    require_admin(actor, association.pk)
    if not label.strip():
        raise DomainError(_("Say which year or month the fee is for."), code="label")
    members = Membership.objects.filter(
        association=association, status=Membership.Status.ACTIVE
    ).select_related("association", "user")
    with transaction.atomic():
        return [
            charge_membership_fee(
                membership=m, label=label.strip(), charged_on=charged_on, actor=actor, amount=amount
            )
            for m in members.order_by("pk")
        ]


def record_payment(
    *,
    actor: Actor,
    payer: Account,
    payee: Account,
    amount: Decimal,
    method: str,
    paid_on: dt.date,
    note: str,
    reference: str = "",
) -> LedgerTransaction:
    """An admin records money handed from `payer` to `payee` (cash, cheque or transfer)."""
    require_admin(actor, payer.association_id)
    if payer.pk == payee.pk:
        raise DomainError(_("The payer and the payee must differ."), code="same_party")
    if payer.association_id != payee.association_id:
        raise DomainError(_("Both parties must belong to the association."), code="foreign")
    if method not in LedgerTransaction.PaymentMethod.values:
        raise DomainError(_("Unknown payment method."), code="method")
    amount = _positive(amount)
    posting = Posting(
        kind=LedgerTransaction.Kind.PAYMENT,
        date=paid_on,
        label=note,
        amount=amount,
        legs=[LegSpec(payer, amount), LegSpec(payee, -amount)],
        reference=reference,
        paid_by=payer,
        payment_method=method,
    )
    return post(association=payer.association, posting=posting, actor=actor.user)


def required_deposit(association: Association, vehicle: Vehicle | None) -> Decimal:
    """The least deposit the association's rule asks for (0 when it takes none)."""
    rule = association.deposit_rule
    if rule == Association.DepositRule.FIXED:
        return association.deposit_amount
    if rule == Association.DepositRule.DEDUCTIBLE:
        if vehicle is not None:
            policy = active_policy(vehicle)
            return policy.deductible if policy is not None else Decimal("0.00")
        policies = InsurancePolicy.objects.filter(vehicle__association=association, is_active=True)
        return max((p.deductible for p in policies), default=Decimal("0.00"))
    return Decimal("0.00")


def record_deposit(
    *,
    actor: Actor,
    membership: Membership,
    amount: Decimal,
    received_on: dt.date,
    cheque_number: str,
    bank: str,
    vehicle: Vehicle | None = None,
    note: str = "",
    means: str = Deposit.Means.CHEQUE,
) -> Deposit:
    """An admin records a deposit held by the association: a cheque (no money moves until
    it is cashed), cash or a transfer."""
    require_admin(actor, membership.association_id)
    association = membership.association
    if association.deposit_rule == Association.DepositRule.NONE:
        raise DomainError(_("This association takes no deposit."), code="no_deposit")
    if vehicle is not None and vehicle.association_id != association.pk:
        raise DomainError(_("The vehicle belongs to another association."), code="foreign")
    amount = _positive(amount)
    least = required_deposit(association, vehicle)
    if amount < least:
        raise DomainError(
            _("The deposit must be at least %(least)s.") % {"least": format_euros(least)},
            code="deposit_too_small",
        )
    with transaction.atomic():
        deposit = Deposit.objects.create(
            association=association,
            membership=membership,
            vehicle=vehicle,
            amount=amount,
            means=means,
            cheque_number=cheque_number if means == Deposit.Means.CHEQUE else "",
            bank=bank,
            received_on=received_on,
            note=note,
        )
        _audit("ledger.deposit_received", deposit, actor.user)
    return deposit


def lock_held_deposit(deposit: Deposit) -> Deposit:
    """The deposit row, locked; ConflictError unless its cheque is still held."""
    locked = Deposit.objects.select_for_update().get(pk=deposit.pk)
    if locked.status != Deposit.Status.HELD:
        raise ConflictError(
            _("This deposit was already returned or cashed."), code="deposit_not_held"
        )
    return locked


def return_deposit(*, actor: Actor, deposit: Deposit, returned_on: dt.date) -> Deposit:
    """An admin gives the cheque back to the member."""
    require_admin(actor, deposit.association_id)
    with transaction.atomic():
        locked = lock_held_deposit(deposit)
        locked.status = Deposit.Status.RETURNED
        locked.returned_on = returned_on
        locked.save(update_fields=["status", "returned_on"])
        _audit("ledger.deposit_returned", locked, actor.user)
    return locked


def cash_deposit(*, actor: Actor, deposit: Deposit, cashed_on: dt.date) -> Deposit:
    """An admin cashes the cheque: a payment from the member to the fund, of the cheque's
    amount."""
    require_admin(actor, deposit.association_id)
    association = deposit.association
    with transaction.atomic():
        locked = lock_held_deposit(deposit)
        posting = Posting(
            kind=LedgerTransaction.Kind.DEPOSIT,
            date=cashed_on,
            label=locked.cheque_number,
            amount=locked.amount,
            legs=deposit_legs(locked),
            reference=f"deposit:{locked.pk}",
            vehicle=locked.vehicle,
            driver=locked.membership,
            paid_by=member_account(locked.membership),
            payment_method=LedgerTransaction.PaymentMethod.CHEQUE,
        )
        mark_cashed(
            locked, post(association=association, posting=posting, actor=actor.user), actor.user
        )
    return locked


def deposit_legs(deposit: Deposit) -> list[LegSpec]:
    """Cashing the cheque: the member has paid its amount, which the fund now holds."""
    return [
        LegSpec(member_account(deposit.membership), deposit.amount),
        LegSpec(fund_account(deposit.association), -deposit.amount),
    ]


def mark_cashed(locked: Deposit, txn: LedgerTransaction, actor: User | None) -> None:
    """Record on a locked, held deposit that `txn` cashed it."""
    locked.cashed_transaction = txn
    locked.status = Deposit.Status.CASHED
    locked.save(update_fields=["status", "cashed_transaction"])
    _audit("ledger.deposit_cashed", locked, actor)


def _audit(action: str, deposit: Deposit, actor: User | None) -> None:
    record_audit(
        action=action,
        actor=actor,
        association=deposit.association,
        target=deposit,
        data={"amount": str(deposit.amount), "membership": deposit.membership_id},
    )
