"""Helpers shared by the booking views."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from bookings.forms import DecisionForm
from core.errors import DomainError
from core.timeutils import local_today
from members.access import AssociationRequest


def form_error(form: forms.BaseForm, error: DomainError) -> None:
    """A domain error as an error of the field it names, or of the whole form."""
    field = error.extra.get("field")
    form.add_error(field if field in form.fields else None, str(error.message))


def message_error(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, str(error.message))


def posted_reason(request: HttpRequest) -> str:
    """The optional reason of a decision (refuse, cancel); empty when missing or invalid."""
    form = DecisionForm(request.POST)
    return form.cleaned_data["reason"] if form.is_valid() else ""


def attempt(request: HttpRequest, action: Callable[[], object], success: str) -> None:
    """One service call from a button: its domain error, or `success`, as a message."""
    try:
        action()
    except DomainError as error:
        message_error(request, error)
    else:
        messages.success(request, success)


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
