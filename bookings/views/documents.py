"""Printed documents of a booking: the handover checklist and the driver-designation letter.
Rendered by contracts' document engine, outside any database transaction."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from bookings.access import get_booking_for_manager, get_booking_for_participant
from bookings.documents import booking_reference, handover_context, render_designation
from bookings.forms import DesignationForm
from contracts.models import DocumentKind
from contracts.rendering import document_language, render_document
from core.errors import DomainError
from core.forms import message_domain_error
from members.access import AssociationRequest, member_required


def _pdf(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@member_required
def handover_pdf(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    """État des lieux of a booking, for its driver, the owners and the admins."""
    booking = get_booking_for_participant(request.membership, pk)
    with document_language(request.association):
        document = render_document(
            association=request.association,
            kind=DocumentKind.HANDOVER_CHECKLIST,
            context=handover_context(booking),
        )
    return _pdf(document.pdf, f"etat-des-lieux-{booking_reference(booking)}.pdf")


@require_safe
@member_required
def designation_pdf(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    """The driver-designation letter for a fine (owners and admins): the notice first."""
    booking = get_booking_for_manager(request.membership, pk)
    form = DesignationForm(
        request.GET if "notice_number" in request.GET else None,
        initial={"moment": request.GET.get("moment")},
    )
    if form.is_valid():
        try:
            document = render_designation(booking, form.notice())
        except DomainError as error:
            message_domain_error(request, error)
        else:
            return _pdf(document.pdf, f"designation-{booking_reference(booking)}.pdf")
    return render(request, "bookings/designation.html", {"form": form, "booking": booking})
