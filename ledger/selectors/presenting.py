"""How ledger rows read in pages, statements and exports (in the active language)."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ledger.models import Account, LedgerTransaction
from members.models import Association, Membership

Kind = LedgerTransaction.Kind


def party_name(kind: str, membership: Membership | None, association: Association) -> str:
    """A member's name, "Association fund" or "Commune of X"."""
    if kind == Account.Kind.MEMBER and membership is not None:
        return membership.user.display_name
    if kind == Account.Kind.COMMUNE:
        return _("Commune of %(commune)s") % {"commune": association.commune}
    return _("Association fund")


def account_name(account: Account) -> str:
    return party_name(account.kind, account.membership, account.association)


def _vehicle(txn: LedgerTransaction) -> str:
    return txn.vehicle.name if txn.vehicle is not None else ""


def _trip(txn: LedgerTransaction) -> str:
    text = _("Trip with %(vehicle)s, %(km)s km") % {"vehicle": _vehicle(txn), "km": txn.km}
    if txn.hours:
        decimals = 0 if txn.hours == txn.hours.to_integral_value() else 2
        text += _(", %(hours)s h") % {"hours": number_format(txn.hours, decimal_pos=decimals)}
    if txn.driver is not None:
        text += f" ({txn.driver.user.display_name})"
    return text


def _expense_share(txn: LedgerTransaction) -> str:
    if txn.vehicle is not None:
        return _("Share of the expenses of %(vehicle)s") % {"vehicle": _vehicle(txn)}
    if txn.owner_kind == "commune":
        return _("Share of the expenses of the commune's cars")
    if not txn.owner_kind:
        return _("Share of the association's general costs")
    return _("Share of the expenses of the association's cars")


def _main(txn: LedgerTransaction) -> str:
    kind = txn.kind
    if kind == Kind.TRIP:
        return _trip(txn)
    if kind == Kind.FUEL:
        return _("Fuel receipt for %(vehicle)s") % {"vehicle": _vehicle(txn)}
    if kind == Kind.EXPENSE:
        what = _vehicle(txn) or _("the whole association")
        return f"{txn.get_category_display().capitalize()} — {what}"
    if kind == Kind.EXPENSE_SHARE:
        return _expense_share(txn)
    if kind == Kind.FEE:
        return _("Membership fee")
    if kind == Kind.PAYMENT:
        return _("Payment (%(method)s)") % {"method": txn.get_payment_method_display()}
    if kind == Kind.DEPOSIT:
        return _("Deposit cheque cashed")
    return f"{txn.get_kind_display().capitalize()} — {_vehicle(txn)}"


def describe(txn: LedgerTransaction) -> str:
    """One line for people: what the transaction is, then its free text."""
    text = _main(txn)
    if txn.reverses_id is not None:
        text = _("Correction, reverses no. %(number)s: %(text)s") % {
            "number": txn.reverses_id,
            "text": text,
        }
    if txn.label:
        text = f"{text} — {txn.label}"
    return text
