"""Admin pages: the dashboard, the list of transactions, one transaction and its reversal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.forms import run_service
from core.timeutils import add_months
from ledger.access import get_transaction_for_admin
from ledger.charts import Series, diverging_bars, grouped_bars
from ledger.forms import ReverseForm
from ledger.selectors.balances import PartyBalance, balances
from ledger.selectors.dashboard import (
    CostPerKm,
    KmTable,
    cost_per_km,
    km_per_vehicle_per_month,
    last_months,
)
from ledger.selectors.transactions import transactions_in
from ledger.services import reverse_transaction
from ledger.views.common import today_for
from ledger.views.member import chosen_span
from members.access import AssociationRequest, admin_required


def _km_chart(table: KmTable) -> Any:
    return grouped_bars(
        chart_id="km-chart",
        title=_("Km per vehicle per month"),
        desc=_("The same figures are in the table beside the chart."),
        labels=[date_format(month, "M") for month in table.months],
        series=[Series(v.name, table.row(v)) for v in table.vehicles],
        unit="km",
    )


def _cost_chart(rows: list[CostPerKm]) -> Any:
    return grouped_bars(
        chart_id="cost-chart",
        title=_("Actual cost per km against the tariff"),
        desc=_("The same figures are in the table beside the chart."),
        labels=[row.vehicle.name for row in rows],
        series=[
            Series(_("actual cost"), [row.actual_per_km or 0 for row in rows]),
            Series(_("tariff"), [row.tariff_per_km or 0 for row in rows]),
        ],
        unit="€/km",
    )


def _balance_chart(parties: list[PartyBalance]) -> Any:
    return diverging_bars(
        chart_id="balance-chart",
        title=_("Balances"),
        desc=_("Right of the axis: owed to the party; left: the party owes."),
        items=[(party.name, party.balance) for party in parties],
        unit="€",
    )


@require_safe
@admin_required
def dashboard(request: AssociationRequest, slug: str) -> HttpResponse:
    """Km per vehicle per month, actual cost per km against the tariff, balances."""
    association, today = request.association, today_for(request)
    months = last_months(today, 12)
    km = km_per_vehicle_per_month(association, months)
    costs = cost_per_km(association, months[0], add_months(months[-1], 1) - dt.timedelta(days=1))
    parties = balances(association)
    context = {
        "km": km,
        "km_rows": [(v, km.row(v), km.total(v)) for v in km.vehicles],
        "km_chart": _km_chart(km),
        "costs": costs,
        "cost_chart": _cost_chart(costs),
        "parties": parties,
        "balance_chart": _balance_chart(parties),
        "first_month": months[0],
    }
    return render(request, "ledger/dashboard.html", context)


@require_safe
@admin_required
def transactions(request: AssociationRequest, slug: str) -> HttpResponse:
    """All transactions of a period, with their legs."""
    span = chosen_span(request)
    txns = transactions_in(request.association, span.starts_on, span.ends_on)
    return render(request, "ledger/transactions.html", {"span": span, "transactions": txns})


@require_safe
@admin_required
def transaction_detail(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    """One transaction, its legs, and the form to reverse it."""
    txn = get_transaction_for_admin(request.membership, pk)
    return render(request, "ledger/transaction_detail.html", _detail_context(txn, ReverseForm()))


def _detail_context(txn: Any, form: ReverseForm) -> dict[str, Any]:
    legs = txn.legs.select_related("account__membership__user", "account__association")
    return {"txn": txn, "legs": legs, "form": form}


@require_POST
@admin_required
def reverse(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    """Post the reversing entry of a transaction (dated today)."""
    txn = get_transaction_for_admin(request.membership, pk)
    form = ReverseForm(request.POST)
    if form.is_valid() and run_service(
        request,
        form,
        lambda: reverse_transaction(
            entry=txn, reason=form.cleaned_data["reason"], actor=request.membership
        ),
        _("The correction was posted."),
    ):
        return redirect("ledger:transaction", slug=slug, pk=txn.pk)
    return render(request, "ledger/transaction_detail.html", _detail_context(txn, form), status=400)
