"""The association's planning, a vehicle's week and month, and availability."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from bookings.forms import AvailabilityForm
from bookings.selectors.availability import VehicleFilters, free_vehicles
from bookings.selectors.bookings import managed_vehicle_ids
from bookings.selectors.planning import planning_grid, vehicle_month, vehicle_week_grid, week_start
from bookings.views.common import requested_day
from core.timeutils import local_today
from members.access import AssociationRequest, member_required
from vehicles.access import can_manage_vehicle, get_vehicle_for_member


@require_safe
@member_required
def planning(request: AssociationRequest, slug: str) -> HttpResponse:
    """Vehicles as rows, the week's hours as columns; ?date= moves, ?days=1 shows a day."""
    day = requested_day(request)
    days = 1 if request.GET.get("days") == "1" else 7
    first_day = day if days == 1 else week_start(day)
    grid = planning_grid(request.association, first_day, days)
    return render(
        request,
        "bookings/planning.html",
        {
            "grid": grid,
            "days": days,
            "managed": set(managed_vehicle_ids(request.membership)),
            "today": local_today(request.association.tz),
            "previous": first_day - dt.timedelta(days=days),
            "next": first_day + dt.timedelta(days=days),
            "last_day": first_day + dt.timedelta(days=days - 1),
        },
    )


@require_safe
@member_required
def vehicle_calendar(request: AssociationRequest, slug: str, vehicle_id: int) -> HttpResponse:
    """A vehicle's week (days as rows) or, with ?view=month, its month."""
    vehicle = get_vehicle_for_member(request.membership, vehicle_id)
    day = requested_day(request)
    context = {
        "vehicle": vehicle,
        "can_manage": can_manage_vehicle(request.membership, vehicle),
        "managed": set(managed_vehicle_ids(request.membership)),
        "today": local_today(request.association.tz),
    }
    if request.GET.get("view") == "month":
        first = day.replace(day=1)
        context |= {
            "weeks": vehicle_month(vehicle, first.year, first.month),
            "month": first,
            "previous": (first - dt.timedelta(days=1)).replace(day=1),
            "next": (first + dt.timedelta(days=32)).replace(day=1),
        }
        return render(request, "bookings/vehicle_month.html", context)
    first_day = week_start(day)
    context |= {
        "grid": vehicle_week_grid(vehicle, first_day),
        "previous": first_day - dt.timedelta(days=7),
        "next": first_day + dt.timedelta(days=7),
        "last_day": first_day + dt.timedelta(days=6),
    }
    return render(request, "bookings/vehicle_week.html", context)


@require_safe
@member_required
def availability(request: AssociationRequest, slug: str) -> HttpResponse:
    """Which cars are free from … to …, with seats, electric and gearbox filters."""
    form = AvailabilityForm(request.GET or None)
    vehicles = None
    if form.is_valid():
        data = form.cleaned_data
        filters = VehicleFilters(data["seats"], data["electric"], data["gearbox"])
        vehicles = free_vehicles(
            request.association, data["start"], data["end"], filters, request.membership
        )
    return render(request, "bookings/availability.html", {"form": form, "vehicles": vehicles})
