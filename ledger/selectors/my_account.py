"""What "My account" reads on every view besides its cached body: the member's deposits
and whether they own a car. Compiled once (core.prepared): no model instances."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from core.prepared import PreparedQuery
from ledger.models import Deposit
from members.models import Membership
from vehicles.models import Vehicle


@dataclass(frozen=True)
class DepositLine:
    amount: Decimal
    status: str
    vehicle_name: str | None
    received_on: dt.date

    def get_status_display(self) -> str:
        return str(Deposit.Status(self.status).label)


_DEPOSITS = PreparedQuery(
    lambda membership_id: Deposit.objects.filter(membership_id=membership_id).values_list(
        "amount", "status", "vehicle__name", "received_on"
    ),
    membership_id=int,
)
_OWNS_A_CAR = PreparedQuery(
    lambda association_id, owner_id: Vehicle.objects.filter(
        association_id=association_id, ownerships__owner_id=owner_id
    ).values_list("pk")[:1],
    association_id=int,
    owner_id=int,
)


def deposit_lines(membership: Membership) -> list[DepositLine]:
    """The member's deposits, newest first (the model's order)."""
    return [DepositLine(*row) for row in _DEPOSITS.rows(membership_id=membership.pk)]


def owns_a_car(membership: Membership) -> bool:
    """Whether the member owns (or co-owns) a car of their association."""
    rows = _OWNS_A_CAR.rows(association_id=membership.association_id, owner_id=membership.pk)
    return bool(rows)
