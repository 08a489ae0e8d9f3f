"""Settling a period in one action: every transfer of its plan recorded as paid.

The plan is `ledger.selectors.balances.period_settlement` (the balances at the period's end,
less the payments made since). The admin records what they saw: the page carries the
plan's digest, and the service recomputes the plan under the ledger lock and refuses with
`plan_changed` when it differs (a payment recorded meanwhile, the same form sent twice), so
nothing is ever paid twice.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import ConflictError, DomainError
from ledger.models import LedgerTransaction
from ledger.periods import BadPeriod, Span, parse_period
from ledger.selectors.balances import PartyBalance, period_settlement, plan_digest
from ledger.services.accounts import party_account
from ledger.services.contributions import record_payment
from ledger.services.posting import lock_ledger
from members.audit import record_audit
from members.models import Membership
from members.permissions import require_admin

# The services; party_key and parse_span are reads the settlement page shares.
__all__ = ["settle_period"]


def party_key(party: PartyBalance) -> str:
    """The form key of a party ("fund", "commune", "member:<id>")."""
    return f"member:{party.membership_id}" if party.membership_id else party.kind


def parse_span(key: str) -> Span:
    try:
        return parse_period(key)
    except BadPeriod:
        raise DomainError(_("Unknown period."), code="bad_period") from None


def settle_period(
    *, actor: Membership, key: str, digest: str, method: str, paid_on: dt.date
) -> list[LedgerTransaction]:
    """An admin records every transfer of the period's plan as paid on `paid_on` (all or none)."""
    association = actor.association
    require_admin(actor, association.pk)
    span = parse_span(key)
    if method not in LedgerTransaction.PaymentMethod.values:
        raise DomainError(_("Unknown payment method."), code="method")
    with transaction.atomic():
        lock_ledger(association)
        plan = period_settlement(association, span)
        if not plan:
            raise ConflictError(
                _("The period %(period)s is settled already: nothing is left to pay.")
                % {"period": span.key},
                code="nothing_to_settle",
            )
        if plan_digest(plan) != digest:
            raise ConflictError(
                _(
                    "The plan changed since the page was shown (a payment was recorded "
                    "meanwhile). Check the new plan and confirm again."
                ),
                code="plan_changed",
            )
        note = gettext("settlement %(period)s") % {"period": span.key}
        posted = [
            record_payment(
                payer=party_account(association, party_key(transfer.payer)),
                payee=party_account(association, party_key(transfer.payee)),
                amount=transfer.amount,
                method=method,
                paid_on=paid_on,
                note=note,
                actor=actor,
            )
            for transfer in plan
        ]
        record_audit(
            action="ledger.period_settled",
            actor=actor.user,
            association=association,
            target=None,
            data={"period": span.key, "transactions": [txn.pk for txn in posted]},
        )
    return posted
