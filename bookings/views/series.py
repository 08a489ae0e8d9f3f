"""Repeated bookings: book a series, cancel the rest of one."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bookings.access import get_booking_for_participant
from bookings.forms import DecisionForm, SeriesForm
from bookings.services.series import book_series, cancel_rest_of_series
from bookings.views.bookings import _initial
from core.errors import DomainError
from core.forms import add_domain_error, message_domain_error
from members.access import AssociationRequest, member_required


@require_http_methods(["GET", "POST"])
@member_required
def new_series(request: AssociationRequest, slug: str) -> HttpResponse:
    """Book every day or every week; the page then lists what was booked and what the rules
    refused, occurrence by occurrence, with the reason."""
    membership = request.membership
    if request.method != "POST":
        form = SeriesForm(initial=_initial(request), membership=membership)
        return render(request, "bookings/series_form.html", {"form": form})
    form = SeriesForm(request.POST, membership=membership)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = book_series(
                actor=membership,
                vehicle=data["vehicle"],
                start=data["start"],
                end=data["end"],
                every=data["every"],
                count=data["count"],
                note=data["note"],
            )
        except DomainError as error:
            add_domain_error(form, error)
    return render(request, "bookings/series_form.html", {"form": form, "result": result})


@require_POST
@member_required
def cancel_series(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    """Cancel this occurrence and the following ones of its series."""
    booking = get_booking_for_participant(request.membership, pk)
    form = DecisionForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        cancelled = cancel_rest_of_series(actor=request.membership, booking=booking, reason=reason)
    except DomainError as error:
        message_domain_error(request, error)
    else:
        messages.success(
            request, _("%(count)s bookings of the series cancelled.") % {"count": len(cancelled)}
        )
    return redirect("bookings:detail", slug=slug, pk=pk)
