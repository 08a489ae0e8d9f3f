"""The ledger's models, by subject (see each module's docstring).

- entries: accounts, transactions and their legs, closed periods, deposits;
- recurring: expenses the platform posts by itself (insurance instalments, parking rent);
- settings: the association's bookkeeping settings (automatic close, its bank account);
- bank: bank statements imported, their lines matched to members.
"""

from ledger.models.bank import BankImport, BankLine
from ledger.models.entries import (
    HOURS_LIMIT,
    LEDGER_LIMIT,
    Account,
    Deposit,
    LedgerTransaction,
    LedgerVersion,
    Leg,
    Period,
    amount_field,
)
from ledger.models.recurring import RecurringExpense, RecurringOccurrence
from ledger.models.settings import LedgerSettings

__all__ = [
    "HOURS_LIMIT",
    "LEDGER_LIMIT",
    "Account",
    "BankImport",
    "BankLine",
    "Deposit",
    "LedgerSettings",
    "LedgerTransaction",
    "LedgerVersion",
    "Leg",
    "Period",
    "RecurringExpense",
    "RecurringOccurrence",
    "amount_field",
]
