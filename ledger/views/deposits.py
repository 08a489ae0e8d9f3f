"""Admin pages for deposit cheques: held, returned, cashed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import run_service
from ledger.access import get_deposit_for_admin
from ledger.forms import DayForm, DepositForm
from ledger.models import Deposit
from ledger.services import cash_deposit, record_deposit, return_deposit
from ledger.services.contributions import required_deposit
from ledger.views.common import form_page, today_for
from members.access import AssociationRequest, admin_required


@require_http_methods(["GET", "POST"])
@admin_required
def deposits(request: AssociationRequest, slug: str) -> HttpResponse:
    """The deposit cheques of the association, and the form to record one."""
    association = request.association
    form = DepositForm(
        request.POST or None, association=association, initial={"received_on": today_for(request)}
    )

    def action(data: dict[str, Any]) -> Any:
        return record_deposit(actor=request.membership, **data)

    return form_page(
        request,
        form=form,
        action=action,
        success=_("The deposit was recorded."),
        done_url=reverse("ledger:deposits", kwargs={"slug": slug}),
        template="ledger/deposits.html",
        context={
            "deposits": Deposit.objects.filter(association=association).select_related(
                "membership__user", "vehicle"
            ),
            "day_form": DayForm(initial={"day": today_for(request)}),
            "least": required_deposit(association, None),
        },
    )


def _change(
    request: AssociationRequest, slug: str, pk: int, change: Callable[..., Any], success: str
) -> HttpResponse:
    deposit = get_deposit_for_admin(request.membership, pk)
    form = DayForm(request.POST)
    if form.is_valid():
        day = form.cleaned_data["day"]
        run_service(request, None, lambda: change(deposit, day), success)
    else:
        messages.error(request, _("Give a valid date."))
    return redirect("ledger:deposits", slug=slug)


@require_POST
@admin_required
def deposit_return(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    """Give the cheque back to the member."""

    def change(deposit: Deposit, day: Any) -> Any:
        return return_deposit(deposit=deposit, returned_on=day, actor=request.membership)

    return _change(request, slug, pk, change, _("The deposit was returned."))


@require_POST
@admin_required
def deposit_cash(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    """Cash the cheque: the member has paid its amount to the fund."""

    def change(deposit: Deposit, day: Any) -> Any:
        return cash_deposit(deposit=deposit, cashed_on=day, actor=request.membership)

    return _change(request, slug, pk, change, _("The deposit was cashed."))
