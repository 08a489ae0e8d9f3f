"""Database objects the models cannot declare: the triggers that version each association's
ledger (ledger.models.LedgerVersion, core.versioning), created by migration 0007."""

from __future__ import annotations

from core.versioning import VersionTrigger

# Every write of a leg bumps the version of its transaction's association.
LEGS_VERSION_TRIGGER = VersionTrigger(
    name="ledger_leg_version",
    table="ledger_leg",
    versions="ledger_ledgerversion",
    key="association_id",
    row_key="(SELECT association_id FROM ledger_ledgertransaction WHERE id = {row}.transaction_id)",
)

# And every write of a transaction: a trip with nothing to pay has no leg, and "My account"
# shows a transaction's label and its reversal.
TRANSACTIONS_VERSION_TRIGGER = VersionTrigger(
    name="ledger_transaction_version",
    table="ledger_ledgertransaction",
    versions="ledger_ledgerversion",
    key="association_id",
    row_key="{row}.association_id",
)

VERSION_TRIGGERS = (LEGS_VERSION_TRIGGER, TRANSACTIONS_VERSION_TRIGGER)
