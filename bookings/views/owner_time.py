"""The owner's-time page of a car: its blocked periods and its drivers' monthly caps, for
its owners and the admins."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.db.models import Model
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
from core.errors import DomainError
from core.forms import add_domain_error, message_domain_error
from members.access import AssociationRequest, member_required
from vehicles.access import get_vehicle_for_manager
from vehicles.models import Vehicle

Row = TypeVar("Row", bound=Model)


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


def _submit(
    request: AssociationRequest,
    vehicle: Vehicle,
    form: forms.Form,
    write: Callable[[dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """Parse a form of the page and call one service; a refusal shows the page again with
    the reason on that form."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, success)
            return _back(vehicle)
    return _page(request, vehicle, form)


def _remove(
    request: AssociationRequest, row: Row | None, write: Callable[[Row], object], success: str
) -> None:
    """Call a service on a row of the car (404 for another car's), saying how it went."""
    if row is None:
        raise Http404
    try:
        write(row)
    except DomainError as error:
        message_domain_error(request, error)
    else:
        messages.success(request, success)


def _back(vehicle: Vehicle) -> HttpResponse:
    return redirect("bookings:owner_time", slug=vehicle.association.slug, vehicle_id=vehicle.pk)


@require_POST
@member_required
def block(request: AssociationRequest, slug: str, vehicle_id: int) -> HttpResponse:
    vehicle = get_vehicle_for_manager(request.membership, vehicle_id)
    form = BlockForm(request.POST)

    def write(data: dict[str, Any]) -> object:
        period = Block(
            data["start"], data["end"], data["reason"], form.mask(), data["repeat_until"]
        )
        return block_period(actor=request.membership, vehicle=vehicle, block=period)

    return _submit(request, vehicle, form, write, _("The car is kept for you over this period."))


@require_POST
@member_required
def unblock(request: AssociationRequest, slug: str, vehicle_id: int, pk: int) -> HttpResponse:
    vehicle = get_vehicle_for_manager(request.membership, vehicle_id)
    rule = Unavailability.objects.filter(vehicle=vehicle, pk=pk).first()
    _remove(
        request,
        rule,
        lambda row: unblock_period(actor=request.membership, rule=row),
        _("The period is free again."),
    )
    return _back(vehicle)


@require_POST
@member_required
def cap(request: AssociationRequest, slug: str, vehicle_id: int) -> HttpResponse:
    vehicle = get_vehicle_for_manager(request.membership, vehicle_id)

    def write(data: dict[str, Any]) -> object:
        return set_usage_cap(
            actor=request.membership,
            vehicle=vehicle,
            driver=data["driver"],
            hours_per_month=data["hours_per_month"],
        )

    form = CapForm(request.POST, vehicle=vehicle)
    return _submit(request, vehicle, form, write, _("The monthly cap is saved."))


@require_POST
@member_required
def uncap(request: AssociationRequest, slug: str, vehicle_id: int, pk: int) -> HttpResponse:
    vehicle = get_vehicle_for_manager(request.membership, vehicle_id)
    usage_cap = UsageCap.objects.filter(vehicle=vehicle, pk=pk).first()
    _remove(
        request,
        usage_cap,
        lambda row: remove_usage_cap(actor=request.membership, cap=row),
        _("The cap is removed."),
    )
    return _back(vehicle)
