"""The approval of fuel receipts: the queue, and approve or refuse one receipt."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bookings.access import get_receipt_for_participant
from bookings.selectors.receipts import receipts_to_decide
from bookings.services.receipts import approve_receipt, refuse_receipt
from bookings.views.common import posted_reason
from core.forms import attempt
from members.access import AssociationRequest, member_required


@require_safe
@member_required
def queue(request: AssociationRequest, slug: str) -> HttpResponse:
    """Receipts waiting for the member's approval (owners: their cars; admins: all)."""
    receipts = receipts_to_decide(request.membership)
    return render(request, "bookings/receipts.html", {"receipts": receipts})


def _back(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    if request.POST.get("back") == "queue":
        return redirect("bookings:receipts", slug=slug)
    return redirect("bookings:detail", slug=slug, pk=pk)


@require_POST
@member_required
def approve(request: AssociationRequest, slug: str, pk: int, receipt_id: int) -> HttpResponse:
    receipt = get_receipt_for_participant(request.membership, pk, receipt_id)
    attempt(
        request,
        lambda: approve_receipt(actor=request.membership, receipt=receipt),
        _("Receipt approved: the driver is refunded."),
    )
    return _back(request, slug, pk)


@require_POST
@member_required
def refuse(request: AssociationRequest, slug: str, pk: int, receipt_id: int) -> HttpResponse:
    receipt = get_receipt_for_participant(request.membership, pk, receipt_id)
    reason = posted_reason(request)
    attempt(
        request,
        lambda: refuse_receipt(actor=request.membership, receipt=receipt, reason=reason),
        _("Receipt refused; the driver will see why."),
    )
    return _back(request, slug, pk)
