"""Fines: who drove this car at this date and time? For the admins and the owners."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from bookings.forms import WhoDroveForm
from bookings.selectors.bookings import managed_vehicle_ids, who_drove
from members.access import AssociationRequest, member_required
from vehicles.models import Vehicle


@require_safe
@member_required
def who_drove_page(request: AssociationRequest, slug: str) -> HttpResponse:
    vehicle_ids = managed_vehicle_ids(request.membership)
    if not vehicle_ids and not request.membership.is_admin:
        raise PermissionDenied
    vehicles = Vehicle.objects.filter(pk__in=vehicle_ids).order_by("name")
    form = WhoDroveForm(request.GET or None, vehicles=vehicles)
    booking = None
    searched = form.is_valid()
    if searched:
        booking = who_drove(form.cleaned_data["vehicle"], form.cleaned_data["moment"])
    context = {"form": form, "booking": booking, "searched": searched}
    return render(request, "bookings/who_drove.html", context)
