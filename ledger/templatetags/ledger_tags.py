"""Template filters for amounts: French display, with an explicit sign where it matters."""

from __future__ import annotations

from decimal import Decimal

from django import template

from core.iban import mask_iban
from core.money import format_euros
from ledger.models import Account, LedgerTransaction
from ledger.selectors import presenting

register = template.Library()


@register.filter
def euros(value: Decimal | None) -> str:
    """1 234,50 € (empty for None)."""
    return "" if value is None else format_euros(value)


@register.filter
def signed_euros(value: Decimal | None) -> str:
    """+36,90 € / -36,90 € / 0,00 €."""
    if value is None:
        return ""
    return ("+" if value > 0 else "") + format_euros(value)


@register.filter
def describe(txn: LedgerTransaction) -> str:
    """What a transaction is, in the active language."""
    return presenting.describe(txn)


@register.filter
def party(account: Account) -> str:
    """A member's name, the association fund or the commune."""
    return presenting.account_name(account)


@register.filter
def masked_iban(value: str) -> str:
    """ "FR76 •••• … 189": an IBAN recognised by its owner, not read again."""
    return mask_iban(value or "")
