"""Correcting a vehicle's records in place, for its owners and the admins: the form comes
filled with the record's values; the vehicle's page then lists the correction."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from members.access import AssociationRequest, member_required
from vehicles import services
from vehicles.access import get_document_for_manager, get_policy_for_manager
from vehicles.forms import InsurancePolicyForm, VehicleDocumentForm
from vehicles.insurance_rules import RulesLoosenedError
from vehicles.models import InsurancePolicy
from vehicles.services.records import DOCUMENT_FIELDS, POLICY_FIELDS
from vehicles.views._helpers import run_service

_SAVED = gettext_lazy("The correction was saved; the vehicle's page shows the old value too.")


@require_http_methods(["GET", "POST"])
@member_required
def policy_edit(request: AssociationRequest, slug: str, pk: int, policy_pk: int) -> HttpResponse:
    """Correct a policy (a typo in its number, a wrong date); loosening one of its rules
    needs the confirmation box, as a renewal does."""
    policy = get_policy_for_manager(request.membership, pk, policy_pk)
    initial = model_to_dict(policy, fields=POLICY_FIELDS)
    form = InsurancePolicyForm(request.POST or None, request.FILES or None, initial=initial)
    if (
        form.is_valid()
        and run_service(form, lambda: _correct_policy(request, policy, form)) is not None
    ):
        messages.success(request, str(_SAVED))
        return redirect("vehicles:detail", slug=slug, pk=pk)
    status = 409 if form.asks_confirmation else 400 if form.is_bound else 200
    title = gettext_lazy("Correct the insurance policy")
    return _page(request, form, policy.vehicle, title, status)


def _correct_policy(
    request: AssociationRequest, policy: InsurancePolicy, form: InsurancePolicyForm
) -> InsurancePolicy:
    try:
        return services.correct_insurance_policy(
            actor=request.membership,
            policy=policy,
            fields=form.policy_fields(),
            confirm_loosening=form.cleaned_data["confirm_loosening"],
        )
    except RulesLoosenedError:
        form.ask_confirmation()
        raise


@require_http_methods(["GET", "POST"])
@member_required
def document_edit(
    request: AssociationRequest, slug: str, pk: int, document_pk: int
) -> HttpResponse:
    document = get_document_for_manager(request.membership, pk, document_pk)
    initial = model_to_dict(document, fields=DOCUMENT_FIELDS)
    form = VehicleDocumentForm(request.POST or None, request.FILES or None, initial=initial)
    if (
        form.is_valid()
        and run_service(
            form,
            lambda: services.correct_vehicle_document(
                actor=request.membership,
                document=document,
                fields={name: form.cleaned_data[name] for name in DOCUMENT_FIELDS},
            ),
        )
        is not None
    ):
        messages.success(request, str(_SAVED))
        return redirect("vehicles:detail", slug=slug, pk=pk)
    title = gettext_lazy("Correct the document")
    return _page(request, form, document.vehicle, title, 400 if form.is_bound else 200)


def _page(
    request: AssociationRequest, form: Any, vehicle: Any, title: Any, status: int
) -> HttpResponse:
    context = {"form": form, "vehicle": vehicle, "title": title}
    return render(request, "vehicles/record_form.html", context, status=status)
