"""The fleet, a vehicle's page, creating and editing vehicles and their ownership."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.timeutils import local_today
from members.access import AssociationRequest, admin_required, member_required
from vehicles import selectors, services
from vehicles.access import get_vehicle_for_manager, get_vehicle_for_member
from vehicles.charts import bar_segments, breakdown_from_tariff
from vehicles.forms import OwnershipForm, VehicleForm, ownership_plan, share_formset
from vehicles.links import vehicle_links
from vehicles.views._helpers import run_service


@require_safe
@member_required
def fleet(request: AssociationRequest, slug: str) -> HttpResponse:
    today = local_today(request.association.tz)
    summaries = selectors.fleet_summaries(request.association, request.membership, today)
    return render(request, "vehicles/fleet.html", {"summaries": summaries, "today": today})


@require_safe
@member_required
def vehicle_detail(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    vehicle = get_vehicle_for_member(request.membership, pk)
    today = local_today(request.association.tz)
    summary = selectors.vehicle_summary(vehicle, request.membership, today)
    breakdown = breakdown_from_tariff(summary.tariff)
    context = {
        "summary": summary,
        "vehicle": summary.vehicle,
        "breakdown": breakdown,
        "segments": bar_segments(breakdown) if breakdown else [],
        "upcoming_tariffs": selectors.upcoming_tariffs(vehicle, today),
    }
    if summary.can_manage:
        context["records"] = selectors.vehicle_records(vehicle)
        context["links"] = vehicle_links(slug, vehicle.pk)
    return render(request, "vehicles/vehicle_detail.html", context)


@require_http_methods(["GET", "POST"])
@member_required
def vehicle_create(request: AssociationRequest, slug: str) -> HttpResponse:
    """Admins choose the ownership; a member who adds a car becomes its owner."""
    association, is_admin = request.association, request.membership.is_admin
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = VehicleForm(data, files, association=association)
    ownership = OwnershipForm(data, association=association, initial={"owner_kind": "association"})
    shares = share_formset(association, data)
    if (
        request.method == "POST"
        and form.is_valid()
        and _ownership_valid(is_admin, ownership, shares)
    ):
        vehicle = run_service(
            form,
            lambda: services.create_vehicle(
                actor=request.membership,
                fields=form.vehicle_fields(),
                ownership=ownership_plan(ownership, shares) if is_admin else None,
            ),
        )
        if vehicle is not None:
            messages.success(request, _("The vehicle was added to the fleet."))
            return redirect("vehicles:detail", slug=slug, pk=vehicle.pk)
    context = {"form": form, "ownership": ownership if is_admin else None, "shares": shares}
    return render(request, "vehicles/vehicle_form.html", context)


@require_http_methods(["GET", "POST"])
@member_required
def vehicle_edit(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    vehicle = get_vehicle_for_manager(request.membership, pk)
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = VehicleForm(data, files, instance=vehicle, association=request.association)
    if request.method == "POST" and form.is_valid():
        updated = run_service(
            form,
            lambda: services.update_vehicle(
                actor=request.membership,
                vehicle=vehicle,
                fields=form.vehicle_fields(),
                allowed_drivers=list(form.cleaned_data["allowed_drivers"]),
            ),
        )
        if updated is not None:
            messages.success(request, _("The vehicle was saved."))
            return redirect("vehicles:detail", slug=slug, pk=vehicle.pk)
    return render(request, "vehicles/vehicle_form.html", {"form": form, "vehicle": vehicle})


@require_http_methods(["GET", "POST"])
@admin_required
def vehicle_ownership(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    vehicle = get_vehicle_for_manager(request.membership, pk)
    data = request.POST if request.method == "POST" else None
    initial = {"owner_kind": vehicle.owner_kind, "registration_holder": vehicle.registration_holder}
    form = OwnershipForm(data, association=request.association, initial=initial)
    shares = share_formset(request.association, data, vehicle)
    if request.method == "POST" and form.is_valid() and shares.is_valid():
        done = run_service(
            form,
            lambda: services.set_vehicle_ownership(
                actor=request.membership, vehicle=vehicle, plan=ownership_plan(form, shares)
            ),
        )
        if done is not None:
            messages.success(request, _("The ownership was saved."))
            return redirect("vehicles:detail", slug=slug, pk=vehicle.pk)
    context = {"ownership": form, "shares": shares, "vehicle": vehicle}
    return render(request, "vehicles/ownership_form.html", context)


def _ownership_valid(is_admin: bool, ownership: OwnershipForm, shares: object) -> bool:
    if not is_admin:
        return True
    return ownership.is_valid() & shares.is_valid()  # type: ignore[attr-defined]
