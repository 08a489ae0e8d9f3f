"""Helpers shared by the booking views."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from bookings.forms import DecisionForm
from core.timeutils import local_today
from members.access import AssociationRequest


def posted_reason(request: HttpRequest) -> str:
    """The optional reason of a decision (refuse, cancel); empty when missing or invalid."""
    form = DecisionForm(request.POST)
    return form.cleaned_data["reason"] if form.is_valid() else ""


def requested_day(request: AssociationRequest, name: str = "date") -> dt.date:
    """The ?date=YYYY-MM-DD of the page, today (association zone) when absent or invalid."""
    raw = request.GET.get(name, "")
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return local_today(request.association.tz)
    if not 2000 <= day.year <= 2099:
        return local_today(request.association.tz)
    return day


def int_param(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None
