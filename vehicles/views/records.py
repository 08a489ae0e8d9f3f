"""A vehicle's records, for its owners and the admins: insurance, papers, upkeep, tariffs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.timeutils import local_today
from members.access import AssociationRequest, member_required
from members.models import Membership
from vehicles import services
from vehicles.access import get_vehicle_for_manager
from vehicles.forms import InsurancePolicyForm, MaintenanceForm, TariffForm, VehicleDocumentForm
from vehicles.insurance_rules import RulesLoosenedError, renewal_fields
from vehicles.models import InsurancePolicy, Vehicle
from vehicles.selectors import active_policy
from vehicles.views._helpers import run_service

Writer = Callable[[Membership, Vehicle, dict[str, Any]], object]

_NEW_POLICY = gettext_lazy("New insurance policy")
_RENEW_POLICY = gettext_lazy("Renew the insurance policy")
_POLICY_SAVED = gettext_lazy("The insurance policy was recorded; it is now the active one.")


@require_http_methods(["GET", "POST"])
@member_required
def policy_add(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    """A new policy, pre-filled from the current one (a renewal); a policy that loosens
    its rules is saved only once the confirmation box, shown with the list, is ticked."""
    vehicle = get_vehicle_for_manager(request.membership, pk)
    current = active_policy(vehicle)
    today = local_today(request.association.tz)
    initial = renewal_fields(current, today) if current else {}
    form = InsurancePolicyForm(request.POST or None, request.FILES or None, initial=initial)
    if (
        form.is_valid()
        and run_service(form, lambda: _add_policy(request, vehicle, form)) is not None
    ):
        messages.success(request, str(_POLICY_SAVED))
        return redirect("vehicles:detail", slug=slug, pk=vehicle.pk)
    status = 409 if form.asks_confirmation else 400 if form.is_bound else 200
    title = _RENEW_POLICY if current else _NEW_POLICY
    context = {"form": form, "vehicle": vehicle, "title": title}
    return render(request, "vehicles/record_form.html", context, status=status)


def _add_policy(
    request: AssociationRequest, vehicle: Vehicle, form: InsurancePolicyForm
) -> InsurancePolicy:
    try:
        return services.add_insurance_policy(
            actor=request.membership,
            vehicle=vehicle,
            fields=form.policy_fields(),
            confirm_loosening=form.cleaned_data["confirm_loosening"],
        )
    except RulesLoosenedError:
        form.ask_confirmation()  # run_service then puts the list of rules on the form
        raise


@require_http_methods(["GET", "POST"])
@member_required
def document_add(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    return _record_page(
        request,
        pk,
        form_class=VehicleDocumentForm,
        write=lambda actor, vehicle, data: services.add_vehicle_document(
            actor=actor, vehicle=vehicle, fields=data
        ),
        title=gettext_lazy("New document"),
        done=gettext_lazy("The document was added."),
    )


@require_http_methods(["GET", "POST"])
@member_required
def maintenance_add(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    return _record_page(
        request,
        pk,
        form_class=MaintenanceForm,
        write=lambda actor, vehicle, data: services.record_maintenance(
            actor=actor, vehicle=vehicle, fields=data
        ),
        title=gettext_lazy("New maintenance event"),
        done=gettext_lazy("The maintenance event was recorded."),
        form_kwargs={"association": request.association},
    )


@require_http_methods(["GET", "POST"])
@member_required
def tariff_add(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    return _record_page(
        request,
        pk,
        form_class=TariffForm,
        write=lambda actor, vehicle, data: services.create_tariff(
            actor=actor, vehicle=vehicle, **data
        ),
        title=gettext_lazy("New tariff"),
        done=gettext_lazy("The new tariff was saved."),
    )


def _record_page(
    request: AssociationRequest,
    pk: int,
    *,
    form_class: type[forms.ModelForm],
    write: Writer,
    title: Any,
    done: Any,
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse:
    """GET: an empty form; POST: validate, write through the service, back to the vehicle."""
    vehicle = get_vehicle_for_manager(request.membership, pk)
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = form_class(data, files, **(form_kwargs or {}))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        if run_service(form, lambda: write(request.membership, vehicle, fields)) is not None:
            messages.success(request, str(done))
            return redirect("vehicles:detail", slug=request.association.slug, pk=vehicle.pk)
    context = {"form": form, "vehicle": vehicle, "title": title}
    return render(request, "vehicles/record_form.html", context)
