"""The owner's-time page of a car: its blocked periods and its drivers' monthly caps, for
its owners and the admins."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bookings.forms_owner_time import BlockForm, CapForm, weekdays_of
from bookings.models import Unavailability, UsageCap
from bookings.selectors.owner_time import unavailabilities_of
from bookings.services.owner_time import (
    Block,
    block_period,
    remove_usage_cap,
    set_usage_cap,
    unblock_period,
)
from bookings.views.common import form_error, message_error
from core.errors import DomainError
from members.access import AssociationRequest, member_required
from vehicles.access import get_vehicle_for_manager
from vehicles.models import Vehicle


@dataclass(frozen=True)
class PeriodRow:
    rule: Unavailability
    days: str


def _rows(vehicle: Vehicle) -> list[PeriodRow]:
    return [
        PeriodRow(rule, ", ".join(str(WEEKDAYS[day]) for day in weekdays_of(rule.weekdays)))
        for rule in unavailabilities_of(vehicle)
    ]


def _page(
    request: AssociationRequest, vehicle: Vehicle, posted: forms.Form | None = None
) -> HttpResponse:
    context: dict[str, Any] = {
        "vehicle": vehicle,
        "periods": _rows(vehicle),
        "caps": vehicle.usage_caps.select_related("driver__user").order_by("driver_id"),
        "block_form": BlockForm(initial=BlockForm.initial_for(vehicle.association.tz)),
        "cap_form": CapForm(vehicle=vehicle),
    }
    if posted is not None:
        context["block_form" if isinstance(posted, BlockForm) else "cap_form"] = posted
    status = 400 if posted is not None else 200
    return render(request, "bookings/owner_time.html", context, status=status)


@require_safe
@member_required
def owner_time(request: AssociationRequest, slug: str, vehicle_id: int) -> HttpResponse:
    """When the car is not lent, and how many hours a month each driver may have it."""
    return _page(request, get_vehicle_for_manager(request.membership, vehicle_id))


@require_POST
@member_required
def block(request: AssociationRequest, slug: str, vehicle_id: int) -> HttpResponse:
    vehicle = get_vehicle_for_manager(request.membership, vehicle_id)
    form = BlockForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        period = Block(
            data["start"], data["end"], data["reason"], form.mask(), data["repeat_until"]
        )
        try:
            block_period(actor=request.membership, vehicle=vehicle, block=period)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The car is kept for you over this period."))
            return redirect("bookings:owner_time", slug=slug, vehicle_id=vehicle.pk)
    return _page(request, vehicle, form)


@require_POST
@member_required
def unblock(request: AssociationRequest, slug: str, vehicle_id: int, pk: int) -> HttpResponse:
    vehicle = get_vehicle_for_manager(request.membership, vehicle_id)
    rule = Unavailability.objects.filter(vehicle=vehicle, pk=pk).first()
    if rule is None:
        raise Http404
    _run(
        request,
        lambda: unblock_period(actor=request.membership, rule=rule),
        _("The period is free again."),
    )
    return redirect("bookings:owner_time", slug=slug, vehicle_id=vehicle.pk)


@require_POST
@member_required
def cap(request: AssociationRequest, slug: str, vehicle_id: int) -> HttpResponse:
    vehicle = get_vehicle_for_manager(request.membership, vehicle_id)
    form = CapForm(request.POST, vehicle=vehicle)
    if form.is_valid():
        data = form.cleaned_data
        try:
            set_usage_cap(
                actor=request.membership,
                vehicle=vehicle,
                driver=data["driver"],
                hours_per_month=data["hours_per_month"],
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The monthly cap is saved."))
            return redirect("bookings:owner_time", slug=slug, vehicle_id=vehicle.pk)
    return _page(request, vehicle, form)


@require_POST
@member_required
def uncap(request: AssociationRequest, slug: str, vehicle_id: int, pk: int) -> HttpResponse:
    vehicle = get_vehicle_for_manager(request.membership, vehicle_id)
    usage_cap = UsageCap.objects.filter(vehicle=vehicle, pk=pk).first()
    if usage_cap is None:
        raise Http404
    _run(
        request,
        lambda: remove_usage_cap(actor=request.membership, cap=usage_cap),
        _("The cap is removed."),
    )
    return redirect("bookings:owner_time", slug=slug, vehicle_id=vehicle.pk)


def _run(request: AssociationRequest, action: Any, success: str) -> None:
    try:
        action()
    except DomainError as error:
        message_error(request, error)
    else:
        messages.success(request, success)
