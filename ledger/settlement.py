"""The settlement plan: who pays whom so that every balance returns to zero.

Greedy matching of the largest debtor with the largest creditor: each transfer zeroes at
least one of the two (and the last one zeroes both), so n parties with a non-zero balance
need at most n − 1 transfers.
Pure: takes balances, returns transfers.
"""

from __future__ import annotations

import heapq
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
    Two heaps keyed by (largest amount, position): O(n log n).
    """
    if sum((amount for _party, amount in balances), Decimal(0)) != 0:
        raise ValueError("balances must sum to zero")
    debtors = [(amount, i, party) for i, (party, amount) in enumerate(balances) if amount < 0]
    creditors = [(-amount, i, party) for i, (party, amount) in enumerate(balances) if amount > 0]
    heapq.heapify(debtors)
    heapq.heapify(creditors)
    transfers: list[Transfer[Party]] = []
    while debtors and creditors:
        minus_owes, debtor_index, debtor = heapq.heappop(debtors)
        minus_owed, creditor_index, creditor = heapq.heappop(creditors)
        amount = min(-minus_owes, -minus_owed)
        transfers.append(Transfer(debtor, creditor, amount))
        if minus_owes + amount:
            heapq.heappush(debtors, (minus_owes + amount, debtor_index, debtor))
        if minus_owed + amount:
            heapq.heappush(creditors, (minus_owed + amount, creditor_index, creditor))
    return transfers
