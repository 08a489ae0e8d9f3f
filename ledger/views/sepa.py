"""The SEPA credit-transfer file of the payouts the association owes (admins)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from core.errors import DomainError
from ledger.services.sepa import credit_transfer_file
from ledger.views.common import today_for
from members.access import AssociationRequest, admin_required


@require_safe
@admin_required
def settlement_sepa(request: AssociationRequest, slug: str) -> HttpResponse:
    """Download the period's payouts (?period=) as a pain.001 file for the bank; a refusal
    goes back to the settlement page with the reason."""
    key = str(request.GET.get("period", ""))
    try:
        xml, batch = credit_transfer_file(
            actor=request.membership, key=key, execution_date=today_for(request)
        )
    except DomainError as error:
        messages.error(request, str(error.message))
        page = reverse("ledger:settlement", kwargs={"slug": slug})
        return redirect(f"{page}?{urlencode({'period': key[:7]})}" if key else page)
    response = HttpResponse(xml, content_type="application/xml")
    filename = f"virements-{request.association.slug}-{batch.span.key}.xml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
