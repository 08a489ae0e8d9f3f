"""The association's planning, a vehicle's week and month, and availability."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from bookings.forms import AvailabilityForm
from bookings.fragments import cached_fragment
from bookings.selectors.availability import VehicleFilters, free_vehicles
from bookings.selectors.bookings import managed_vehicle_ids
from bookings.selectors.planning import (
    Viewer,
    planning_for,
    planning_vehicles,
    vehicle_month,
    vehicle_week_grid,
    week_start,
)
from bookings.views.common import requested_day
from core.pages import cached_page
from core.timeutils import local_today, make_local
from members.access import AssociationRequest, member_required
from members.models import Membership
from vehicles.access import can_manage_vehicle, get_vehicle_for_member


@require_safe
@member_required
def planning(request: AssociationRequest, slug: str) -> HttpResponse:
    """Wide screens: vehicles as rows, the week's hours as columns (?days=1: a day). Phones:
    the agenda of one day (?date=, default today), one vehicle under the other."""
    day = requested_day(request)
    days = 1 if request.GET.get("days") == "1" else 7
    first_day = day if days == 1 else week_start(day)
    body = _planning_body(request.membership, first_day, days, day)
    return cached_page(request, "bookings/planning.html", {"body": body}, (body,))


def _planning_body(
    membership: Membership, first_day: dt.date, days: int, day: dt.date
) -> SafeString:
    """The planning below its title, from the cache when nothing it shows has changed."""
    tz = membership.association.tz
    vehicles = planning_vehicles(membership)  # with their versions: before any booking
    viewer = Viewer(
        membership.pk,
        frozenset(v.pk for v in vehicles if v.is_managed),
        membership.association.slug,
    )
    today = local_today(tz)
    parts = (
        membership.association_id, str(tz), get_language(), first_day, days, day, today,
        _now_key(first_day, days, tz), viewer.membership_id, tuple(sorted(viewer.managed)),
        tuple(vehicles),
    )  # fmt: skip

    def render_body() -> str:
        page = planning_for(vehicles, viewer, first_day, days, day, tz)
        week = week_start(day)
        context = {
            "grid": page.grid,
            "agenda": page.agenda,
            "days": days,
            "today": today,
            "previous": first_day - dt.timedelta(days=days),
            "next": first_day + dt.timedelta(days=days),
            "last_day": first_day + dt.timedelta(days=days - 1),
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "week_days": [week + dt.timedelta(days=i) for i in range(7)],
            "grid_label": _("Planning of the vehicles"),
            "corner": _("Vehicle"),
        }
        return render_to_string("bookings/_planning_body.html", context)

    return cached_fragment("planning", parts, render_body)


def _now_key(first_day: dt.date, days: int, tz: ZoneInfo) -> str:
    """What the free slots of the range depend on: now, to the quarter hour, while the
    range is running (free time starts at the next quarter); nothing before or after it."""
    start = make_local(first_day, dt.time(0), tz)
    end = make_local(first_day + dt.timedelta(days=days), dt.time(0), tz)
    now = timezone.now()
    if now < start:
        return "ahead"
    if now >= end:
        return "past"
    return str(int(now.timestamp()) // 900)


@require_safe
@member_required
def vehicle_calendar(request: AssociationRequest, slug: str, vehicle_id: int) -> HttpResponse:
    """A vehicle's week (days as rows) or, with ?view=month, its month."""
    vehicle = get_vehicle_for_member(request.membership, vehicle_id)
    day = requested_day(request)
    managed = managed_vehicle_ids(request.membership)
    context = {
        "vehicle": vehicle,
        "can_manage": can_manage_vehicle(request.membership, vehicle),
        "managed": set(managed),
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
        "grid": vehicle_week_grid(
            vehicle, first_day, Viewer(request.membership.pk, frozenset(managed), slug)
        ),
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
