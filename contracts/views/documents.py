"""Printable documents rendered on request: membership forms and logbook sheets."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from contracts.access import get_member_for_documents
from contracts.context import logbook_context, membership_form_context
from contracts.founding import internal_rules_context, statutes_context
from contracts.models import DocumentKind
from contracts.rendering import RenderedDocument, render_document
from core.errors import DomainError
from members.access import AssociationRequest, admin_required, member_required
from members.models import Membership
from vehicles.access import get_vehicle_for_manager


def pdf_response(document: RenderedDocument, filename: str) -> HttpResponse:
    response = HttpResponse(document.pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename) or ""
    response["Cache-Control"] = "private, no-store"
    return response


def document_error(request: AssociationRequest, error: DomainError) -> HttpResponse:
    context = {"message": error.message}
    return render(request, "contracts/document_error.html", context, status=error.http_status)


def _membership_form(request: AssociationRequest, member: Membership | None) -> HttpResponse:
    try:
        document = render_document(
            association=request.association,
            kind=DocumentKind.MEMBERSHIP_FORM,
            context=membership_form_context(member),
        )
    except DomainError as error:
        return document_error(request, error)
    name = member.user.last_name if member else "vierge"
    return pdf_response(document, f"bulletin-adhesion-{name}.pdf")


@require_GET
@member_required
def membership_form(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    """A member's membership form, filled in (the member themself, or an admin)."""
    return _membership_form(request, get_member_for_documents(request.membership, pk))


@require_GET
@member_required
def blank_membership_form(request: AssociationRequest, slug: str) -> HttpResponse:
    """An empty membership form, to hand to a neighbour who wants to join."""
    return _membership_form(request, None)


@require_GET
@member_required
def logbook(request: AssociationRequest, slug: str, vehicle_pk: int) -> HttpResponse:
    """Empty logbook sheets with the vehicle's header (its owners and the admins)."""
    vehicle = get_vehicle_for_manager(request.membership, vehicle_pk)
    try:
        document = render_document(
            association=request.association,
            kind=DocumentKind.LOGBOOK,
            context=logbook_context(vehicle),
        )
    except DomainError as error:
        return document_error(request, error)
    return pdf_response(document, f"carnet-de-bord-{vehicle.plate}.pdf")


@require_GET
@admin_required
def founding_kit(request: AssociationRequest, slug: str) -> HttpResponse:
    """The founders' papers: statutes, internal rules and the blank membership form."""
    return render(request, "contracts/founding_kit.html")


@require_GET
@admin_required
def statutes(request: AssociationRequest, slug: str) -> HttpResponse:
    """Model statutes (loi 1901) prefilled with the association's name, seat and fee."""
    association = request.association
    try:
        document = render_document(
            association=association,
            kind=DocumentKind.STATUTES,
            context=statutes_context(association),
        )
    except DomainError as error:
        return document_error(request, error)
    return pdf_response(document, f"statuts-{association.slug}.pdf")


@require_GET
@admin_required
def internal_rules(request: AssociationRequest, slug: str) -> HttpResponse:
    """The internal rules with the association's rules and each car's price and insurance."""
    association = request.association
    try:
        document = render_document(
            association=association,
            kind=DocumentKind.INTERNAL_RULES,
            context=internal_rules_context(association),
        )
    except DomainError as error:
        return document_error(request, error)
    return pdf_response(document, f"reglement-interieur-{association.slug}.pdf")
