"""Reports: settlement plan, no-profit check, ADEME criteria, CSV exports."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from ledger.exports import balances_csv, transactions_csv
from ledger.forms import SettlePeriodForm, TransferForm
from ledger.periods import Span
from ledger.selectors.ademe import ademe_criteria
from ledger.selectors.balances import balances, period_settlement, plan_digest
from ledger.selectors.noprofit import no_profit_check
from ledger.selectors.payouts import association_payouts
from ledger.selectors.transactions import recent_periods, span_from_key
from ledger.services import record_payment
from ledger.services.accounts import party_account
from ledger.services.settlement import party_key, settle_period
from ledger.views.common import form_page, today_for, year_from
from ledger.views.member import chosen_span
from members.access import AssociationRequest, admin_required, member_required
from vehicles.models import VehicleOwnership


def _settlement_span(request: AssociationRequest) -> tuple[Span, list[Span]]:
    """The period of ?period=, else the last one that is over; the periods to choose from."""
    association = request.association
    spans = recent_periods(association, count=36)
    if request.GET.get("period"):
        return chosen_span(request), spans
    today = today_for(request)
    over = [span for span in spans if span.ends_on < today]
    return (over[0] if over else span_from_key(association, None)), spans


@require_safe
@admin_required
def settlement_plan(request: AssociationRequest, slug: str) -> HttpResponse:
    """Who pays whom to settle a period (its end's balances, less what was paid since):
    the whole plan is recorded as paid in one submission, or each transfer on its own."""
    association, today = request.association, today_for(request)
    span, spans = _settlement_span(request)
    plan = period_settlement(association, span)
    rows = [
        (
            transfer,
            TransferForm(
                association=association,
                initial={
                    "payer": party_key(transfer.payer),
                    "payee": party_key(transfer.payee),
                    "amount": transfer.amount,
                    "method": "transfer",
                    "paid_on": today,
                },
                prefix=f"t{index}",
            ),
        )
        for index, transfer in enumerate(plan)
    ]
    settle_form = SettlePeriodForm(
        initial={
            "period": span.key,
            "digest": plan_digest(plan),
            "method": "transfer",
            "paid_on": today,
        }
    )
    context = {
        "rows": rows,
        "span": span,
        "periods": spans,
        "settle_form": settle_form,
        "parties": balances(association),
        "payouts": association_payouts(association, span),
        "association_iban": bool(association.iban),
    }
    return render(request, "ledger/settlement.html", context)


@require_POST
@admin_required
def settlement_record_all(request: AssociationRequest, slug: str) -> HttpResponse:
    """Record every transfer of the period's plan as paid (one submission)."""
    form = SettlePeriodForm(request.POST)
    posted: list[Any] = []

    def action(data: dict[str, Any]) -> Any:
        posted.extend(
            settle_period(
                actor=request.membership,
                key=data["period"],
                digest=data["digest"],
                method=data["method"],
                paid_on=data["paid_on"],
            )
        )

    period = str(form.data.get("period", ""))[:7]
    done = reverse("ledger:settlement", kwargs={"slug": slug})
    return form_page(
        request,
        form=form,
        action=action,
        success=lambda: (
            ngettext(
                "%(count)s transfer was recorded as paid.",
                "%(count)s transfers were recorded as paid.",
                len(posted),
            )
            % {"count": len(posted)}
        ),
        done_url=f"{done}?{urlencode({'period': period})}" if period else done,
        context={"title": _("Settle the period")},
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
