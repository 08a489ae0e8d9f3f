"""Booking pages: the booking form, a booking, my bookings, and the decisions on it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bookings.access import get_booking_for_participant
from bookings.eligibility import Eligibility, check_eligibility
from bookings.forms import BookingForm, LateReturnForm, LocalDateTimeField
from bookings.selectors.bookings import (
    managed_vehicle_ids,
    my_past_bookings,
    my_upcoming_bookings,
    pending_approvals,
)
from bookings.selectors.receipts import receipts_to_decide
from bookings.services.bookings import (
    LateReturn,
    approve_booking,
    cancel_booking,
    create_booking,
    refuse_booking,
    report_late_return,
)
from bookings.services.charges import estimated_cost
from bookings.views.common import int_param, posted_reason
from bookings.views.detail import booking_context
from core.errors import DomainError
from core.forms import add_domain_error, attempt, message_domain_error
from members.access import AssociationRequest, member_required
from members.models import Membership
from vehicles.access import get_vehicle_for_member


def _initial(request: AssociationRequest) -> dict[str, Any]:
    """Prefill from a planning slot or an availability result; 404 for a foreign vehicle."""
    initial: dict[str, Any] = {
        key: request.GET[key] for key in ("start", "end") if key in request.GET
    }
    vehicle_id = int_param(request, "vehicle")
    if vehicle_id is not None:
        initial["vehicle"] = get_vehicle_for_member(request.membership, vehicle_id)
    return initial


def _preview(membership: Membership, initial: dict[str, Any]) -> Eligibility | None:
    """What the rules say about a prefilled slot, shown before the member books."""
    if "vehicle" not in initial:
        return None
    try:
        start = LocalDateTimeField().clean(initial.get("start"))
        end = LocalDateTimeField().clean(initial.get("end"))
    except ValidationError:
        return None
    if start is None or end is None or end <= start:
        return None
    return check_eligibility(
        driver=membership, vehicle=initial["vehicle"], start=start, end=end, booked_by=membership
    )


def _estimate(membership: Membership, initial: dict[str, Any]) -> Decimal | None:
    """The cost of the prefilled slot at the vehicle's tariff (time only, km unknown yet)."""
    if "vehicle" not in initial:
        return None
    try:
        start = LocalDateTimeField().clean(initial.get("start"))
        end = LocalDateTimeField().clean(initial.get("end"))
    except ValidationError:
        return None
    if start is None or end is None:
        return None
    return estimated_cost(driver=membership, vehicle=initial["vehicle"], start=start, end=end, km=0)


@require_http_methods(["GET", "POST"])
@member_required
def create(request: AssociationRequest, slug: str) -> HttpResponse:
    """Book a vehicle (admins may book for a member)."""
    membership = request.membership
    if request.method != "POST":
        initial = _initial(request)
        form = BookingForm(initial=initial, membership=membership)
        context = {
            "form": form,
            "eligibility": _preview(membership, initial),
            "estimate": _estimate(membership, initial),
        }
        return render(request, "bookings/booking_form.html", context)
    form = BookingForm(request.POST, membership=membership)
    if form.is_valid():
        data = form.cleaned_data
        try:
            booking = create_booking(
                actor=membership,
                driver=data.get("driver") or membership,
                vehicle=data["vehicle"],
                start=data["start"],
                end=data["end"],
                note=data["note"],
                estimated_km=data["estimated_km"],
                deductible_accepted=data["deductible_accepted"],
            )
        except DomainError as error:
            add_domain_error(form, error)
            deductible = error.extra.get("deductible")
            return render(
                request, "bookings/booking_form.html", {"form": form, "deductible": deductible}
            )
        messages.success(
            request, _("Booking saved: %(status)s.") % {"status": booking.get_status_display()}
        )
        return redirect("bookings:detail", slug=slug, pk=booking.pk)
    return render(request, "bookings/booking_form.html", {"form": form})


@require_safe
@member_required
def detail(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    booking = get_booking_for_participant(request.membership, pk)
    return render(request, "bookings/booking_detail.html", booking_context(request, booking))


@require_safe
@member_required
def mine(request: AssociationRequest, slug: str) -> HttpResponse:
    """The member's upcoming bookings, the past ones by pages, and approvals waiting for them."""
    membership = request.membership
    page = Paginator(my_past_bookings(membership), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "bookings/mine.html",
        {
            "upcoming": my_upcoming_bookings(membership),
            "past": page,
            "approvals": pending_approvals(membership),
            "receipts_waiting": len(receipts_to_decide(membership)),
            "managed": managed_vehicle_ids(membership),
        },
    )


@require_POST
@member_required
def approve(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    booking = get_booking_for_participant(request.membership, pk)
    attempt(
        request,
        lambda: approve_booking(actor=request.membership, booking=booking),
        _("Booking confirmed."),
    )
    return redirect("bookings:detail", slug=slug, pk=pk)


@require_POST
@member_required
def refuse(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    booking = get_booking_for_participant(request.membership, pk)
    reason = posted_reason(request)
    attempt(
        request,
        lambda: refuse_booking(actor=request.membership, booking=booking, reason=reason),
        _("Booking refused; the driver will see why."),
    )
    return redirect("bookings:detail", slug=slug, pk=pk)


@require_POST
@member_required
def cancel(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    booking = get_booking_for_participant(request.membership, pk)
    reason = posted_reason(request)
    attempt(
        request,
        lambda: cancel_booking(actor=request.membership, booking=booking, reason=reason),
        _("Booking cancelled."),
    )
    return redirect("bookings:detail", slug=slug, pk=pk)


@require_POST
@member_required
def late_return(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    """Extend the booking when the car is free; otherwise the next driver is told."""
    booking = get_booking_for_participant(request.membership, pk)
    form = LateReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the time at which you will bring the car back."))
        return redirect("bookings:detail", slug=slug, pk=pk)
    try:
        outcome, _following = report_late_return(
            actor=request.membership, booking=booking, new_end=form.cleaned_data["new_end"]
        )
    except DomainError as error:
        message_domain_error(request, error)
        return redirect("bookings:detail", slug=slug, pk=pk)
    if outcome is LateReturn.EXTENDED:
        messages.success(request, _("Your booking is extended."))
    else:
        messages.warning(
            request,
            _(
                "The car is booked after you, so your booking could not be extended. The next "
                "driver has been told when the car should be back."
            ),
        )
    return redirect("bookings:detail", slug=slug, pk=pk)
