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

from members.access import AssociationRequest, member_required
from members.models import Membership
from vehicles import services
from vehicles.access import get_vehicle_for_manager
from vehicles.forms import InsurancePolicyForm, MaintenanceForm, TariffForm, VehicleDocumentForm
from vehicles.models import Vehicle
from vehicles.views._helpers import run_service

Writer = Callable[[Membership, Vehicle, dict[str, Any]], object]


@require_http_methods(["GET", "POST"])
@member_required
def policy_add(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    return _record_page(
        request,
        pk,
        form_class=InsurancePolicyForm,
        write=lambda actor, vehicle, data: services.add_insurance_policy(
            actor=actor, vehicle=vehicle, fields=data
        ),
        title=gettext_lazy("New insurance policy"),
        done=gettext_lazy("The insurance policy was recorded; it is now the active one."),
    )


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
