"""Booking pages: the booking form, a booking, my bookings, and the decisions on it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bookings.access import get_booking_for_participant
from bookings.eligibility import OVERLAP, Eligibility, check_eligibility
from bookings.forms import BookingForm, ChangeForm, LateReturnForm, LocalDateTimeField
from bookings.models import Booking
from bookings.selectors.bookings import (
    booking_lines,
    my_bookings_key,
    my_past_bookings,
    my_upcoming_bookings,
    my_waiting_lines,
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
from bookings.services.changes import change_booking
from bookings.services.charges import estimated_cost
from bookings.views.common import int_param, posted_reason
from bookings.views.detail import booking_context
from core.errors import DomainError
from core.forms import add_domain_error, attempt, message_domain_error
from core.fragments import cached_value
from core.pages import cached_page
from core.typography import typeset
from members.access import AssociationRequest, member_required
from members.models import Membership
from vehicles.access import get_vehicle_for_member

PAST_PAGE = 20  # past bookings per page of "My bookings"


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
            refused: dict[str, object] = {
                "form": form,
                "deductible": error.extra.get("deductible"),
                # the slot is taken: offer the waiting list for it
                "can_wait": error.code == OVERLAP and data.get("driver") in (None, membership),
            }
            return render(request, "bookings/booking_form.html", refused)
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
    """The member's upcoming bookings, the past ones by pages, and approvals waiting for them.
    The tables come from the cache while nothing they show has changed (MyBookingsKey); the
    waiting lists, with their forms, are read each time."""
    membership = request.membership
    number = int_param(request, "page") or 1
    lists = _my_booking_lists(request, membership, number)
    waiting = my_waiting_lines(membership)
    context = {"lists": lists, "waiting": waiting}
    return cached_page(request, "bookings/mine.html", context, (lists, tuple(waiting)))


@dataclass(frozen=True)
class MyBookingLists:
    """The rendered tables of "My bookings" and what the rest of the page needs of them."""

    top: str  # approvals, receipts waiting, upcoming bookings
    past: str  # past and cancelled bookings, their pages
    has_approvals: bool
    manages: bool
    # The first end of an upcoming booking not under way: then it moves to the past.
    until: dt.datetime | None


def _my_booking_lists(
    request: AssociationRequest, membership: Membership, number: int
) -> MyBookingLists:
    key = my_bookings_key(membership)  # before any booking (core.fragments)
    slug = membership.association.slug
    language = get_language()
    parts = (
        membership.pk, membership.role, str(timezone.get_current_timezone()), language,
        number, key,
    )  # fmt: skip

    def build() -> MyBookingLists:
        managed = list(key.managed)
        upcoming = booking_lines(my_upcoming_bookings(membership), slug)
        past = booking_lines(
            my_past_bookings(membership)[(number - 1) * PAST_PAGE : number * PAST_PAGE + 1],
            slug,
        )
        approvals = booking_lines(pending_approvals(membership, managed), slug)
        context = {
            "upcoming": upcoming,
            "past": past[:PAST_PAGE],
            "newer_page": number - 1 if number > 1 else None,
            "older_page": number + 1 if len(past) > PAST_PAGE else None,
            "approvals": approvals,
            "receipts_waiting": len(receipts_to_decide(membership)) if managed else 0,
        }
        ends = [b.end for b in upcoming if b.status != Booking.Status.IN_PROGRESS]
        return MyBookingLists(
            top=typeset(render_to_string("bookings/_mine_top.html", context, request), language),
            past=typeset(render_to_string("bookings/_mine_past.html", context, request), language),
            has_approvals=bool(approvals),
            manages=bool(managed),
            until=min(ends) if ends else None,
        )

    def still_valid(lists: MyBookingLists) -> bool:
        return lists.until is None or timezone.now() <= lists.until

    return cached_value("bookings:mine", parts, build, still_valid)


@require_http_methods(["GET", "POST"])
@member_required
def change(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    """Move a booking to other times or another car (the same rules as a new booking)."""
    booking = get_booking_for_participant(request.membership, pk)
    current = {"vehicle": booking.vehicle, "start": booking.start, "end": booking.end}
    form = ChangeForm(request.POST or None, initial=current, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = change_booking(
                actor=request.membership,
                booking=booking,
                start=data["start"],
                end=data["end"],
                vehicle=data["vehicle"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            status = booking.get_status_display()
            messages.success(request, _("Booking changed: %(status)s.") % {"status": status})
            return redirect("bookings:detail", slug=slug, pk=pk)
    context = {"form": form, "booking": booking}
    return render(request, "bookings/booking_change.html", context)


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
