"""The settlement of an incident: one transaction under the incident's reference.

Called by bookings (the incident's settlement) with plain facts, inside the caller's
database transaction. Its legs:
- the responsible driver owes the charge to the car's owner side, which pays the garage
  (a co-owner who is responsible pays only the other co-owners' shares);
- when the association's fund bears the rest of the repair (its rule, the insurer not
  involved), the fund owes that part to the owner side;
- when the driver's deposit cheque is drawn, it is cashed: the driver is credited its
  amount and the fund holds it (what exceeds the charge is owed back to the driver).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.money import ZERO, round_money
from ledger.models import Deposit, LedgerTransaction
from ledger.services.accounts import fund_account, owner_side, split_over
from ledger.services.contributions import deposit_legs, lock_held_deposit, mark_cashed
from ledger.services.posting import LegSpec, Posting, post
from ledger.services.trips import charge_legs, same_association
from members.models import Membership
from members.permissions import Actor, require_admin
from vehicles.models import Vehicle


@dataclass(frozen=True)
class IncidentSettlement:
    """What an incident's decision moves: plain facts, amounts already checked."""

    driver: Membership
    vehicle: Vehicle
    charge: Decimal
    fund_part: Decimal
    insurer_involved: bool
    settled_on: dt.date
    label: str
    reference: str
    deposit: Deposit | None = None


def post_incident_settlement(*, actor: Actor, settlement: IncidentSettlement) -> LedgerTransaction:
    """An admin posts the settlement (and cashes the deposit it draws) in one transaction."""
    require_admin(actor, settlement.vehicle.association_id)
    association = same_association(settlement.driver, settlement.vehicle)
    charge, fund_part = round_money(settlement.charge), round_money(settlement.fund_part)
    if charge <= 0 or fund_part < 0:
        raise DomainError(_("The amount must be greater than zero."), code="amount")
    with transaction.atomic():
        deposit = _drawn(settlement)
        legs = _legs(settlement, charge, fund_part, deposit)
        posting = Posting(
            kind=(
                LedgerTransaction.Kind.DEDUCTIBLE
                if settlement.insurer_involved
                else LedgerTransaction.Kind.DAMAGE
            ),
            date=settlement.settled_on,
            label=settlement.label,
            amount=charge + fund_part,
            legs=legs,
            reference=settlement.reference,
            vehicle=settlement.vehicle,
            owner_kind=settlement.vehicle.owner_kind,
            driver=settlement.driver,
            audit={"charge": str(charge), "fund_part": str(fund_part)},
        )
        txn = post(association=association, posting=posting, actor=actor.user)
        if deposit is not None:
            mark_cashed(deposit, txn, actor.user)
    return txn


def _drawn(settlement: IncidentSettlement) -> Deposit | None:
    if settlement.deposit is None:
        return None
    deposit = lock_held_deposit(settlement.deposit)
    if deposit.membership_id != settlement.driver.pk:
        raise DomainError(
            _("This deposit cheque is not the responsible driver's."), code="deposit_not_drivers"
        )
    return deposit


def _legs(
    settlement: IncidentSettlement, charge: Decimal, fund_part: Decimal, deposit: Deposit | None
) -> list[LegSpec]:
    weights = owner_side(settlement.vehicle)
    legs = charge_legs(settlement.driver, charge, weights)
    if fund_part > ZERO:
        legs.append(LegSpec(fund_account(settlement.vehicle.association), -fund_part))
        legs += [LegSpec(account, part) for account, part in split_over(fund_part, weights)]
    if deposit is not None:
        legs += deposit_legs(deposit)
    return legs
