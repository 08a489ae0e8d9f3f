"""Helpers shared by the ledger's views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from core.errors import DomainError
from core.timeutils import local_today
from members.access import AssociationRequest

Success = str | Callable[[], str]  # a message, or how to write it once the service ran


def run_service(
    request: HttpRequest, form: forms.Form | None, action: Callable[[], Any], success: Success
) -> bool:
    """Call a service; a domain error becomes a form error (or a message) and False."""
    try:
        action()
    except DomainError as error:
        if form is not None:
            form.add_error(None, str(error.message))
        else:
            messages.error(request, str(error.message))
        return False
    messages.success(request, success() if callable(success) else success)
    return True


def today_for(request: AssociationRequest) -> Any:
    """Today in the association's zone (initial value of date fields)."""
    return local_today(request.association.tz)


def year_from(request: AssociationRequest) -> int:
    """?year= between 2000 and 2100, else the current local year."""
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return timezone.localdate().year


def form_page(
    request: AssociationRequest,
    *,
    form: forms.Form,
    action: Callable[[dict[str, Any]], Any],
    success: Success,
    done_url: str,
    template: str = "ledger/form_page.html",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """GET: the form; POST: validate, call `action(cleaned_data)`, redirect or show errors."""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(request, form, lambda: action(data), success):
            return redirect(done_url)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"form": form, **(context or {})}, status=status)
