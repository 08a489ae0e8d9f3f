"""The waiting list: wait for a taken slot (from the refused booking form), leave it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bookings.access import get_waiting_entry_for_member
from bookings.forms import WaitingForm
from bookings.services.waiting import join_waiting_list, leave_waiting_list
from core.errors import DomainError
from core.forms import attempt, message_domain_error
from members.access import AssociationRequest, member_required


@require_POST
@member_required
def join(request: AssociationRequest, slug: str) -> HttpResponse:
    """ "Tell me if this car becomes free": back to the booking form if refused."""
    form = WaitingForm(request.POST, membership=request.membership)
    if not form.is_valid():
        messages.error(request, _("Choose a car and valid times."))
        return redirect("bookings:create", slug=slug)
    data = form.cleaned_data
    try:
        join_waiting_list(
            actor=request.membership, vehicle=data["vehicle"], start=data["start"], end=data["end"]
        )
    except DomainError as error:
        message_domain_error(request, error)
        query = urlencode({key: request.POST.get(key, "") for key in ("vehicle", "start", "end")})
        return redirect(f"{reverse('bookings:create', kwargs={'slug': slug})}?{query}")
    messages.success(
        request, _("You are on the waiting list: you will be told if the car is free.")
    )
    return redirect("bookings:mine", slug=slug)


@require_POST
@member_required
def leave(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    entry = get_waiting_entry_for_member(request.membership, pk)
    attempt(
        request,
        lambda: leave_waiting_list(actor=request.membership, entry=entry),
        _("You left the waiting list."),
    )
    return redirect("bookings:mine", slug=slug)
