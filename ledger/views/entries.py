"""Admin entries: vehicle expenses, maintenance to post, fees, payments, damage charges."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import run_service
from ledger.access import get_maintenance_for_admin
from ledger.forms import DamageForm, ExpenseForm, FeeForm, PaymentForm
from ledger.selectors.expenses import unposted_maintenance
from ledger.services import (
    charge_membership_fees,
    post_damage_charge,
    post_expense,
    post_unposted_maintenance,
    record_payment,
)
from ledger.services.accounts import party_account
from ledger.views.common import form_page, today_for
from members.access import AssociationRequest, admin_required

GET_POST = require_http_methods(["GET", "POST"])


def _url(name: str, slug: str) -> str:
    return reverse(f"ledger:{name}", kwargs={"slug": slug})


@GET_POST
@admin_required
def expense_new(request: AssociationRequest, slug: str) -> HttpResponse:
    """Record a vehicle expense with its receipt; lists maintenance not posted yet."""
    association = request.association
    form = ExpenseForm(
        request.POST or None,
        request.FILES or None,
        association=association,
        initial={"incurred_on": today_for(request)},
    )

    def action(data: dict[str, Any]) -> Any:
        return post_expense(
            vehicle=data["vehicle"],
            category=data["category"],
            amount=data["amount"],
            incurred_on=data["incurred_on"],
            paid_by=party_account(association, data["paid_by"]),
            description=data["description"],
            actor=request.membership,
            receipt=data["receipt"],
        )

    return form_page(
        request,
        form=form,
        action=action,
        success=_("The expense was recorded."),
        done_url=_url("expense_new", slug),
        template="ledger/expense_form.html",
        context={"unposted": unposted_maintenance(association)},
    )


@require_POST
@admin_required
def maintenance_post(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    """Post a maintenance event recorded before maintenance was posted with its record (the
    list under the expense form); an event that reached the ledger once is refused."""
    event = get_maintenance_for_admin(request.membership, pk)
    run_service(
        request,
        None,
        lambda: post_unposted_maintenance(actor=request.membership, event=event),
        _("The maintenance was posted."),
    )
    return redirect("ledger:expense_new", slug=slug)


@GET_POST
@admin_required
def fees(request: AssociationRequest, slug: str) -> HttpResponse:
    """Charge the membership fee to every active member (once per member and label)."""
    association, today = request.association, today_for(request)
    form = FeeForm(
        request.POST or None,
        association=association,
        initial={"label": str(today.year), "charged_on": today},
    )

    def action(data: dict[str, Any]) -> Any:
        return charge_membership_fees(
            association=association,
            label=data["label"],
            charged_on=data["charged_on"],
            actor=request.membership,
            amount=data["amount"],
        )

    return form_page(
        request,
        form=form,
        action=action,
        success=_("The fees were charged."),
        done_url=_url("transactions", slug),
        context={"title": _("Charge membership fees"), "fee": association.membership_fee},
    )


@GET_POST
@admin_required
def payment_new(request: AssociationRequest, slug: str) -> HttpResponse:
    """Record a payment between two parties (cash, cheque, transfer)."""
    association = request.association
    form = PaymentForm(
        request.POST or None, association=association, initial={"paid_on": today_for(request)}
    )

    def action(data: dict[str, Any]) -> Any:
        return record_payment(
            payer=party_account(association, data["payer"]),
            payee=party_account(association, data["payee"]),
            amount=data["amount"],
            method=data["method"],
            paid_on=data["paid_on"],
            note=data["note"],
            actor=request.membership,
        )

    return form_page(
        request,
        form=form,
        action=action,
        success=_("The payment was recorded."),
        done_url=_url("settlement", slug),
        context={"title": _("Record a payment")},
    )


@GET_POST
@admin_required
def damage_new(request: AssociationRequest, slug: str) -> HttpResponse:
    """Charge a driver for damage or for the insurance deductible."""
    form = DamageForm(
        request.POST or None,
        association=request.association,
        initial={"occurred_on": today_for(request)},
    )

    def action(data: dict[str, Any]) -> Any:
        return post_damage_charge(
            driver=data["driver"],
            vehicle=data["vehicle"],
            kind=data["kind"],
            amount=data["amount"],
            occurred_on=data["occurred_on"],
            description=data["description"],
            reference="",
            actor=request.membership,
        )

    return form_page(
        request,
        form=form,
        action=action,
        success=_("The charge was posted."),
        done_url=_url("transactions", slug),
        context={"title": _("Charge damage or a deductible")},
    )
