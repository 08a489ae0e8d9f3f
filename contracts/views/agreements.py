"""Agreement pages: the list with its filters, the member's own, detail, download, and the
admin's actions (generate, printed, signed, ended, outdated)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.db.models.fields.files import FieldFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contracts import selectors, services
from contracts.access import get_agreement_for_admin, get_agreement_for_member
from contracts.forms import AgreementFilterForm, NewAgreementForm, SignatureForm
from contracts.models import Agreement
from core.errors import DomainError
from core.files import serve_private_file
from core.forms import add_domain_error, attempt, message_domain_error
from core.timeutils import local_today
from members.access import AssociationRequest, admin_required, member_required


@require_GET
@member_required
def agreement_list(request: AssociationRequest, slug: str) -> HttpResponse:
    form = AgreementFilterForm(request.GET or None, association=request.association)
    agreements = selectors.visible_agreements(request.membership)
    if form.is_valid():
        vehicle = form.cleaned_data["vehicle"]
        agreements = selectors.filter_agreements(
            agreements, state=form.cleaned_data["state"], vehicle_id=vehicle.pk if vehicle else None
        )
    context = {
        "form": form,
        "agreements": agreements.order_by("vehicle__name", "driver__user__last_name", "-id"),
        "counts": selectors.state_counts(request.membership),
    }
    return render(request, "contracts/agreement_list.html", context)


@require_GET
@member_required
def my_agreements(request: AssociationRequest, slug: str) -> HttpResponse:
    context = {
        "coverage": selectors.coverage_of(request.membership),
        "agreements": selectors.visible_agreements(request.membership).filter(
            driver=request.membership
        ),
    }
    return render(request, "contracts/my_agreements.html", context)


@require_http_methods(["GET", "POST"])
@admin_required
def agreement_new(request: AssociationRequest, slug: str) -> HttpResponse:
    if request.method == "GET":
        form = NewAgreementForm(initial=request.GET.dict(), association=request.association)
        return render(request, "contracts/agreement_new.html", {"form": form})
    form = NewAgreementForm(request.POST, association=request.association)
    if form.is_valid():
        try:
            agreement = services.generate_agreement(actor=request.membership, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The agreement is ready to print."))
            return redirect("contracts:detail", slug=slug, pk=agreement.pk)
    return render(request, "contracts/agreement_new.html", {"form": form}, status=400)


@require_GET
@member_required
def agreement_detail(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    agreement = get_agreement_for_member(request.membership, pk)
    context = {
        "agreement": agreement,
        "signature_form": SignatureForm(initial={"signed_on": local_today(request.association.tz)}),
    }
    return render(request, "contracts/agreement_detail.html", context)


@require_GET
@member_required
def agreement_pdf(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    """The stored PDF, as generated: never rendered again. An admin downloads it to print
    it: the agreement is then marked printed (no separate step)."""
    agreement = get_agreement_for_member(request.membership, pk)
    services.agreement_downloaded(actor=request.membership, agreement=agreement)
    return _serve(agreement.pdf, download_name(agreement))


@require_GET
@member_required
def agreement_scan(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    agreement = get_agreement_for_member(request.membership, pk)
    return _serve(agreement.signed_scan, None)


def _serve(field_file: FieldFile, name: str | None) -> HttpResponse:
    # A FileResponse streams; the access decorators are typed for HttpResponse views.
    return cast(HttpResponse, serve_private_file(field_file, download_name=name))


def download_name(agreement: Agreement) -> str:
    plate = agreement.vehicle.plate.replace(" ", "")
    return f"contrat-{plate}-{agreement.driver.user.last_name or agreement.driver_id}.pdf"


@require_POST
@admin_required
def agreement_printed(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    agreement = get_agreement_for_admin(request.membership, pk)
    attempt(
        request,
        lambda: services.mark_agreement_printed(actor=request.membership, agreement=agreement),
    )
    return redirect("contracts:detail", slug=slug, pk=pk)


@require_POST
@admin_required
def agreement_sign(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    agreement = get_agreement_for_admin(request.membership, pk)
    form = SignatureForm(request.POST, request.FILES)
    if form.is_valid():
        done = attempt(
            request,
            lambda: services.record_agreement_signature(
                actor=request.membership, agreement=agreement, **form.cleaned_data
            ),
            _("The signature is recorded."),
        )
        if done:
            return redirect("contracts:detail", slug=slug, pk=pk)
    context = {"agreement": agreement, "signature_form": form}
    return render(request, "contracts/agreement_detail.html", context, status=400)


@require_POST
@admin_required
def agreement_end(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    agreement = get_agreement_for_admin(request.membership, pk)
    attempt(request, lambda: services.end_agreement(actor=request.membership, agreement=agreement))
    return redirect("contracts:detail", slug=slug, pk=pk)


@require_POST
@admin_required
def agreement_regenerate(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    """A new agreement for the same vehicle and driver, from today's data and template."""
    old = get_agreement_for_admin(request.membership, pk)
    try:
        new = services.generate_agreement(
            actor=request.membership, vehicle=old.vehicle, driver=old.driver
        )
    except DomainError as error:
        message_domain_error(request, error)
        return redirect("contracts:detail", slug=slug, pk=pk)
    messages.success(request, _("The agreement is ready to print."))
    return redirect("contracts:detail", slug=slug, pk=new.pk)


@require_http_methods(["GET", "POST"])
@admin_required
def outdated_agreements(request: AssociationRequest, slug: str) -> HttpResponse:
    """Signed agreements whose terms changed; POST marks them "to re-sign"."""
    if request.method == "POST":
        changed = services.mark_outdated_agreements(
            association=request.association, actor=request.membership
        )
        message = ngettext(
            "%(count)s agreement marked to re-sign.",
            "%(count)s agreements marked to re-sign.",
            len(changed),
        ) % {"count": len(changed)}
        messages.success(request, message)
        return redirect("contracts:outdated", slug=slug)
    found = selectors.find_outdated_agreements(association=request.association)
    return render(request, "contracts/outdated.html", {"outdated": found})
