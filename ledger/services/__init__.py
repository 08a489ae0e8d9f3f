"""Every write of the ledger. Other apps call these (bookings: the trip postings).

- trips: post_trip_charge, post_fuel_receipt, post_damage_charge
- expenses: post_expense, record_maintenance_with_expense, post_unposted_maintenance,
  sync_maintenance_expense
- corrections: correct_maintenance_with_expense (edit, reverse and post again)
- contributions: charge_membership_fee(s), record_payment, record_deposit, return_deposit,
  cash_deposit
- incidents: post_incident_settlement (an incident's charge, the fund's part, the deposit)
- posting: reverse_transaction (corrections), first_open_day (where a late fact is dated)
- closing: close_period, close_periods_through, close_due_periods (the scheduled job),
  next_period_to_close
- recurring: create_recurring_expense, update_recurring_expense, post_due_recurring_expenses
- settlement: settle_period; bank: import_bank_statement, confirm_bank_import
- settings: update_ledger_settings; statement_mail: queue_period_statements

Every service takes `actor` (a Membership, or a SystemActor where the platform acts) and
checks it itself (members.permissions, vehicles.permissions).
"""

from ledger.services.accounts import commune_account, fund_account, member_account
from ledger.services.closing import close_period, next_period_to_close
from ledger.services.contributions import (
    cash_deposit,
    charge_membership_fee,
    charge_membership_fees,
    record_deposit,
    record_payment,
    return_deposit,
)
from ledger.services.corrections import correct_maintenance_with_expense
from ledger.services.expenses import (
    post_expense,
    post_unposted_maintenance,
    record_maintenance_with_expense,
    sync_maintenance_expense,
)
from ledger.services.posting import first_open_day, reverse_transaction
from ledger.services.trips import post_damage_charge, post_fuel_receipt, post_trip_charge

__all__ = [
    "cash_deposit",
    "charge_membership_fee",
    "charge_membership_fees",
    "close_period",
    "commune_account",
    "correct_maintenance_with_expense",
    "first_open_day",
    "fund_account",
    "member_account",
    "next_period_to_close",
    "post_damage_charge",
    "post_expense",
    "post_fuel_receipt",
    "post_trip_charge",
    "post_unposted_maintenance",
    "record_deposit",
    "record_maintenance_with_expense",
    "record_payment",
    "return_deposit",
    "reverse_transaction",
    "sync_maintenance_expense",
]
