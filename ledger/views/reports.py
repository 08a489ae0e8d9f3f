"""Reports: settlement plan, no-profit check, ADEME criteria, CSV exports."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ledger.exports import balances_csv, transactions_csv
from ledger.forms import TransferForm
from ledger.selectors.ademe import ademe_criteria
from ledger.selectors.balances import balances, settlement
from ledger.selectors.noprofit import no_profit_check
from ledger.services import record_payment
from ledger.services.accounts import party_account
from ledger.views.common import form_page, today_for, year_from
from ledger.views.member import chosen_span
from members.access import AssociationRequest, admin_required, member_required
from vehicles.models import VehicleOwnership


def _party_key(party: Any) -> str:
    return f"member:{party.membership_id}" if party.membership_id else party.kind


@require_safe
@admin_required
def settlement_plan(request: AssociationRequest, slug: str) -> HttpResponse:
    """Who pays whom to bring every balance to zero; each transfer can be recorded."""
    association, today = request.association, today_for(request)
    rows = [
        (
            transfer,
            TransferForm(
                association=association,
                initial={
                    "payer": _party_key(transfer.payer),
                    "payee": _party_key(transfer.payee),
                    "amount": transfer.amount,
                    "method": "transfer",
                    "paid_on": today,
                },
                prefix=f"t{index}",
            ),
        )
        for index, transfer in enumerate(settlement(association))
    ]
    return render(
        request, "ledger/settlement.html", {"rows": rows, "parties": balances(association)}
    )


@require_POST
@admin_required
def settlement_record(request: AssociationRequest, slug: str) -> HttpResponse:
    """Record one transfer of the plan as paid."""
    association = request.association
    prefix = request.POST.get("prefix", "")
    form = TransferForm(request.POST, association=association, prefix=prefix or None)

    def action(data: dict[str, Any]) -> Any:
        return record_payment(
            payer=party_account(association, data["payer"]),
            payee=party_account(association, data["payee"]),
            amount=data["amount"],
            method=data["method"],
            paid_on=data["paid_on"],
            note=_("settlement"),
            actor=request.membership,
        )

    return form_page(
        request,
        form=form,
        action=action,
        success=_("The payment was recorded."),
        done_url=reverse("ledger:settlement", kwargs={"slug": slug}),
        context={"title": _("Record a payment")},
    )


@require_safe
@member_required
def no_profit(request: AssociationRequest, slug: str) -> HttpResponse:
    """Income against documented costs per car and year; members see the cars they own."""
    year = year_from(request)
    rows = no_profit_check(request.association, year)
    if not request.membership.is_admin:
        owned = set(
            VehicleOwnership.objects.filter(owner=request.membership).values_list(
                "vehicle_id", flat=True
            )
        )
        rows = [row for row in rows if row.vehicle.pk in owned]
    return render(request, "ledger/no_profit.html", {"rows": rows, "year": year})


@require_safe
@admin_required
def ademe(request: AssociationRequest, slug: str) -> HttpResponse:
    """The six ADEME criteria of neighbour car sharing, with status and what to do."""
    year = year_from(request)
    rows = no_profit_check(request.association, year)
    criteria = ademe_criteria(request.association, year, rows)
    return render(request, "ledger/ademe.html", {"criteria": criteria, "year": year})


@require_safe
@admin_required
def export_transactions(request: AssociationRequest, slug: str) -> HttpResponse:
    """The period's legs as CSV (one line per leg) for the association's bookkeeping."""
    span = chosen_span(request)
    return transactions_csv(request.association, span)


@require_safe
@admin_required
def export_balances(request: AssociationRequest, slug: str) -> HttpResponse:
    """Every party's balance as CSV."""
    return balances_csv(request.association)
