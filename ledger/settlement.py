"""The settlement plan: who pays whom so that every balance returns to zero.

Greedy matching of the largest debtor with the largest creditor: each transfer zeroes at
least one of the two, so n parties with a non-zero balance need at most n − 1 transfers.
Pure: takes balances, returns transfers.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

Party = TypeVar("Party", bound=Hashable)


@dataclass(frozen=True)
class Transfer(Generic[Party]):
    payer: Party
    payee: Party
    amount: Decimal


def settlement_plan(balances: Sequence[tuple[Party, Decimal]]) -> list[Transfer[Party]]:
    """Transfers that zero every balance; the balances must sum to exactly zero.

    Ties are broken by the order of `balances`, so the plan is stable for a stable input.
    """
    if sum((amount for _party, amount in balances), Decimal(0)) != 0:
        raise ValueError("balances must sum to zero")
    order = {party: index for index, (party, _amount) in enumerate(balances)}
    debtors = [(party, -amount) for party, amount in balances if amount < 0]
    creditors = [(party, amount) for party, amount in balances if amount > 0]
    transfers: list[Transfer[Party]] = []
    while debtors and creditors:
        debtors.sort(key=lambda item: (-item[1], order[item[0]]))
        creditors.sort(key=lambda item: (-item[1], order[item[0]]))
        (debtor, owes), (creditor, owed) = debtors[0], creditors[0]
        amount = min(owes, owed)
        transfers.append(Transfer(debtor, creditor, amount))
        debtors = _rest(debtors, owes - amount)
        creditors = _rest(creditors, owed - amount)
    return transfers


def _rest(parties: list[tuple[Party, Decimal]], first_left: Decimal) -> list[tuple[Party, Decimal]]:
    """The list with its first party's amount replaced by what is left (dropped at zero)."""
    head = [(parties[0][0], first_left)] if first_left != 0 else []
    return head + parties[1:]
