"""Pages of one association, under /<association-slug>/ (see carshare/urls.py)."""

from django.urls import URLPattern, URLResolver, path, register_converter

from ledger.converters import PeriodConverter
from ledger.views import (
    bank,
    corrections,
    dashboard,
    deposits,
    entries,
    handover,
    maintenance,
    member,
    periods,
    recurring,
    reports,
    sepa,
)

app_name = "ledger"

register_converter(PeriodConverter, "ledgerperiod")

urlpatterns: list[URLPattern | URLResolver] = [
    # members: their own account
    path("ledger/me/", member.my_account, name="my_account"),
    path(
        "ledger/me/statements/<ledgerperiod:period>/",
        member.my_statement,
        name="my_statement",
    ),
    path(
        "ledger/me/statements/<ledgerperiod:period>/pdf/",
        member.my_statement_pdf,
        name="my_statement_pdf",
    ),
    path("ledger/transactions/<int:pk>/receipt/", member.receipt, name="receipt"),
    path("ledger/no-profit/", reports.no_profit, name="no_profit"),
    # admins
    path("ledger/", dashboard.dashboard, name="dashboard"),
    path("ledger/transactions/", dashboard.transactions, name="transactions"),
    path("ledger/transactions/<int:pk>/", dashboard.transaction_detail, name="transaction"),
    path("ledger/transactions/<int:pk>/reverse/", dashboard.reverse, name="reverse"),
    path("ledger/expenses/new/", entries.expense_new, name="expense_new"),
    path("ledger/maintenance/<int:pk>/post/", entries.maintenance_post, name="maintenance_post"),
    # a vehicle's page (the fleet's URL): the event and its expense are recorded together
    path("vehicles/<int:pk>/maintenance/new/", maintenance.maintenance_add, name="maintenance_add"),
    # a vehicle's page (the fleet's URL): the event and its ledger entry are corrected together
    path(
        "vehicles/<int:pk>/maintenance/<int:event_pk>/edit/",
        corrections.maintenance_edit,
        name="maintenance_edit",
    ),
    path("ledger/recurring/", recurring.recurring_list, name="recurring"),
    path("ledger/recurring/new/", recurring.recurring_new, name="recurring_new"),
    path("ledger/recurring/<int:pk>/edit/", recurring.recurring_edit, name="recurring_edit"),
    path("ledger/settings/", recurring.settings_page, name="settings"),
    path("ledger/fees/", entries.fees, name="fees"),
    path("ledger/payments/new/", entries.payment_new, name="payment_new"),
    path("ledger/bank/", bank.bank_import, name="bank_import"),
    path("ledger/bank/<int:pk>/", bank.bank_import_detail, name="bank_import_detail"),
    path("ledger/damage/new/", entries.damage_new, name="damage_new"),
    path("ledger/deposits/", deposits.deposits, name="deposits"),
    path("ledger/handover/<int:pk>/", handover.handover, name="handover"),
    path("ledger/deposits/<int:pk>/return/", deposits.deposit_return, name="deposit_return"),
    path("ledger/deposits/<int:pk>/cash/", deposits.deposit_cash, name="deposit_cash"),
    path("ledger/settlement/", reports.settlement_plan, name="settlement"),
    path("ledger/settlement/sepa/", sepa.settlement_sepa, name="settlement_sepa"),
    path("ledger/settlement/record/", reports.settlement_record, name="settlement_record"),
    path(
        "ledger/settlement/record-all/",
        reports.settlement_record_all,
        name="settlement_record_all",
    ),
    path("ledger/periods/", periods.periods, name="periods"),
    path("ledger/periods/<ledgerperiod:period>/", periods.period_detail, name="period"),
    path("ledger/periods/<ledgerperiod:period>/close/", periods.period_close, name="period_close"),
    path(
        "ledger/periods/<ledgerperiod:period>/statements.pdf",
        periods.period_statements_pdf,
        name="period_statements_pdf",
    ),
    path(
        "ledger/periods/<ledgerperiod:period>/statements/<int:member_id>/",
        periods.member_statement,
        name="member_statement",
    ),
    path(
        "ledger/periods/<ledgerperiod:period>/statements/<int:member_id>/pdf/",
        periods.member_statement_pdf,
        name="member_statement_pdf",
    ),
    path("ledger/ademe/", reports.ademe, name="ademe"),
    path(
        "ledger/export/transactions.csv",
        reports.export_transactions,
        name="export_transactions",
    ),
    path("ledger/export/balances.csv", reports.export_balances, name="export_balances"),
]
