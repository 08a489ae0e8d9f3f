"""The price-per-km calculator (ADETEC method): compute, round, save as a new tariff."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from core.forms import add_domain_error
from core.money import round_money
from core.timeutils import local_today
from members.access import AssociationRequest, member_required
from vehicles import selectors, services
from vehicles.access import get_vehicle_for_manager
from vehicles.calculator import PriceBreakdown, calculate_price_per_km
from vehicles.charts import bar_segments
from vehicles.forms import CalculatorForm
from vehicles.models import Vehicle
from vehicles.views._helpers import run_service


@require_http_methods(["GET", "POST"])
@member_required
def calculator(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    vehicle = get_vehicle_for_manager(request.membership, pk)
    today = local_today(request.association.tz)
    electric = vehicle.energy == Vehicle.Energy.ELECTRIC
    if request.method != "POST":
        form = CalculatorForm(initial=_previous_inputs(vehicle, today), electric=electric)
        return _render(request, vehicle, form, None)
    form = CalculatorForm(request.POST, electric=electric)
    breakdown = _compute(form)
    if breakdown is not None and request.POST.get("action") == "save":
        if form.require_saving_fields() and _save(request, vehicle, form):
            messages.success(request, _("The new tariff was saved."))
            return redirect("vehicles:detail", slug=slug, pk=vehicle.pk)
    elif breakdown is not None:
        form = _with_proposal(request, form, breakdown, today, electric)
    return _render(request, vehicle, form, breakdown)


def _compute(form: CalculatorForm) -> PriceBreakdown | None:
    if not form.is_valid():
        return None
    try:
        return calculate_price_per_km(form.inputs())
    except DomainError as error:
        add_domain_error(form, error)
        return None


def _save(request: AssociationRequest, vehicle: Vehicle, form: CalculatorForm) -> bool:
    tariff = run_service(
        form,
        lambda: services.save_calculated_tariff(
            actor=request.membership,
            vehicle=vehicle,
            inputs=form.inputs(),
            chosen_price_per_km=form.cleaned_data["chosen_price_per_km"],
            valid_from=form.cleaned_data["valid_from"],
        ),
    )
    return tariff is not None


def _with_proposal(
    request: AssociationRequest,
    form: CalculatorForm,
    breakdown: PriceBreakdown,
    today: Any,
    electric: bool,
) -> CalculatorForm:
    """After "compute", offer the proposal rounded to the cent, from today."""
    data = request.POST.copy()
    data["chosen_price_per_km"] = f"{round_money(breakdown.total_per_km):f}"
    if not data.get("valid_from"):
        data["valid_from"] = today.isoformat()
    refreshed = CalculatorForm(data, electric=electric)
    refreshed.is_valid()
    return refreshed


def _previous_inputs(vehicle: Vehicle, today: Any) -> dict[str, Any]:
    """Start from the inputs behind the tariff in force, if it came from the calculator."""
    tariff = selectors.tariff_on(vehicle, today)
    inputs = tariff.calculation.get("inputs") if tariff is not None else None
    return dict(inputs) if isinstance(inputs, dict) else {}


def _render(
    request: AssociationRequest,
    vehicle: Vehicle,
    form: CalculatorForm,
    breakdown: PriceBreakdown | None,
) -> HttpResponse:
    context = {
        "vehicle": vehicle,
        "form": form,
        "breakdown": breakdown,
        "segments": bar_segments(breakdown) if breakdown else [],
        "electric": vehicle.energy == Vehicle.Energy.ELECTRIC,
    }
    return render(request, "vehicles/calculator.html", context)
