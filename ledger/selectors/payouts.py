"""The payouts the association owes at the end of a period: the transfers of the period's
settlement plan paid by the association's fund, each to a member's IBAN. A payee the
association cannot transfer to (no IBAN recorded, the commune) is listed with the reason."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.money import ZERO
from ledger.models import Account
from ledger.periods import Span
from ledger.selectors.balances import PartyBalance, period_settlement
from ledger.settlement import Transfer
from members.models import Association, Membership


@dataclass(frozen=True)
class Payout:
    transfer: Transfer[PartyBalance]
    iban: str  # compact


@dataclass(frozen=True)
class LeftOut:
    transfer: Transfer[PartyBalance]
    code: str
    reason: str | Promise


@dataclass(frozen=True)
class PayoutBatch:
    span: Span
    payouts: list[Payout]
    left_out: list[LeftOut]

    @property
    def total(self) -> Decimal:
        return sum((payout.transfer.amount for payout in self.payouts), ZERO)


NO_IBAN = _("no IBAN recorded: ask the member to add it to their profile")
NOT_A_MEMBER = _("not a member's account: pay it by hand")


def association_payouts(association: Association, span: Span) -> PayoutBatch:
    """The fund's transfers in the period's plan (the same plan as the settlement page),
    split into those a SEPA file can carry and those left out, with the reason."""
    owed = [t for t in period_settlement(association, span) if t.payer.kind == Account.Kind.FUND]
    ibans = _ibans(association, [t.payee.membership_id for t in owed])
    payouts, left_out = [], []
    for transfer in owed:
        iban = ibans.get(transfer.payee.membership_id or 0, "")
        if transfer.payee.kind != Account.Kind.MEMBER:
            left_out.append(LeftOut(transfer, "not_a_member", NOT_A_MEMBER))
        elif not iban:
            left_out.append(LeftOut(transfer, "no_iban", NO_IBAN))
        else:
            payouts.append(Payout(transfer, iban))
    return PayoutBatch(span, payouts, left_out)


def _ibans(association: Association, membership_ids: list[int | None]) -> dict[int, str]:
    rows = Membership.objects.filter(
        association=association, pk__in=[pk for pk in membership_ids if pk]
    ).values_list("pk", "user__iban")
    return dict(rows)
