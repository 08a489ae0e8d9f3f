"""API endpoints under /api/v1/ (see carshare/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from ledger import api

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "associations/<slug:slug>/ledger/balances/",
        api.BalancesView.as_view(),
        name="api-ledger-balances",
    ),
    path(
        "associations/<slug:slug>/ledger/settlement/",
        api.SettlementView.as_view(),
        name="api-ledger-settlement",
    ),
    path(
        "associations/<slug:slug>/ledger/transactions/",
        api.TransactionsView.as_view(),
        name="api-ledger-transactions",
    ),
]
