"""The one handover form of an agreement: signature, deposit and remarks together."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from contracts.access import get_agreement_for_admin
from ledger.forms import HandoverForm
from ledger.models import Deposit
from ledger.services.contributions import required_deposit
from ledger.services.handover import Handover, record_handover
from ledger.views.common import form_page, today_for
from members.access import AssociationRequest, admin_required
from members.models import Association


@require_http_methods(["GET", "POST"])
@admin_required
def handover(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    """GET: the form pre-filled (today, the deposit the rules ask for, by cheque)."""
    agreement = get_agreement_for_admin(request.membership, pk)
    association = request.association
    least = required_deposit(association, agreement.vehicle)
    initial = {
        "signed_on": today_for(request),
        "deposit_amount": least if least else None,
        "deposit_means": Deposit.Means.CHEQUE,
    }
    form = HandoverForm(request.POST or None, request.FILES or None, initial=initial)
    if association.deposit_rule == Association.DepositRule.NONE:
        for name in ("deposit_amount", "deposit_means", "cheque_number", "bank"):
            del form.fields[name]

    def action(data: dict[str, Any]) -> Any:
        return record_handover(
            actor=request.membership,
            agreement=agreement,
            handover=Handover(**{**data, "scan": data.get("scan") or None}),
        )

    return form_page(
        request,
        form=form,
        action=action,
        success=_("The handover is recorded: agreement signed, deposit and remarks kept."),
        done_url=reverse("contracts:detail", kwargs={"slug": slug, "pk": pk}),
        template="ledger/handover.html",
        context={"agreement": agreement, "least": least},
    )
