"""Helpers shared by the ledger's views (a refusal reaches the page through core.forms)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from core.forms import Success, run_service
from core.timeutils import local_today
from members.access import AssociationRequest


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
