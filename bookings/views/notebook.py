"""The car's notebook (its owners and the admins) and the owner's month (my cars)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from bookings.selectors.notebook import month_of_cars, notebook, owned_vehicles
from core.timeutils import add_months, local_today
from members.access import AssociationRequest, member_required
from vehicles.access import get_vehicle_for_manager
from vehicles.selectors import is_owner


def requested_month(request: AssociationRequest) -> dt.date:
    """The first day of ?month=YYYY-MM, this local month when absent or invalid."""
    raw = request.GET.get("month", "")
    try:
        first = dt.date.fromisoformat(f"{raw}-01")
    except ValueError:
        first = local_today(request.association.tz).replace(day=1)
    if not 2000 <= first.year <= 2099:
        first = local_today(request.association.tz).replace(day=1)
    return first


def _month_context(first: dt.date) -> dict[str, dt.date]:
    return {"month": first, "previous": add_months(first, -1), "next": add_months(first, 1)}


@require_safe
@member_required
def notebook_page(request: AssociationRequest, slug: str, vehicle_id: int) -> HttpResponse:
    """The car's condition at a glance, its month, its photos and its timeline."""
    vehicle = get_vehicle_for_manager(request.membership, vehicle_id)
    first = requested_month(request)
    owner = request.membership if is_owner(request.membership, vehicle) else None
    (car_month,) = month_of_cars([vehicle], owner, first.year, first.month, timezone.now())
    context = {"book": notebook(vehicle), "car": car_month, **_month_context(first)}
    return render(request, "bookings/notebook.html", context)


@require_safe
@member_required
def owner_month(request: AssociationRequest, slug: str) -> HttpResponse:
    """The month of the member's cars: trips, km, fuel, money received, incidents, and the
    bookings to come (the monthly summary, as a page)."""
    first = requested_month(request)
    cars = month_of_cars(
        owned_vehicles(request.membership),
        request.membership,
        first.year,
        first.month,
        timezone.now(),
    )
    return render(request, "bookings/owner_month.html", {"cars": cars, **_month_context(first)})
