"""Check-out, check-in, the trips to review, trip files."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from bookings.access import get_booking_for_participant
from bookings.forms import CheckInForm, CheckOutForm, ReceiptFormSet
from bookings.models import FuelReceipt, Trip, TripPhoto
from bookings.selectors.bookings import trips_to_review
from bookings.selectors.incidents import departure_state
from bookings.selectors.trips import last_odometer_in
from bookings.services.receipts import ReceiptInput
from bookings.services.trips import Reading, Return, check_in, check_out
from core.errors import DomainError
from core.files import serve_private_file
from core.forms import add_domain_error
from members.access import AssociationRequest, admin_required, member_required


@require_http_methods(["GET", "POST"])
@member_required
def checkout(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    """Take the car: odometer, fuel or charge level, remarks, photos."""
    booking = get_booking_for_participant(request.membership, pk)
    initial = {"odometer": last_odometer_in(booking.vehicle)}
    form = CheckOutForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check_out(
                actor=request.membership,
                booking=booking,
                reading=Reading(data["odometer"], data["fuel_level"]),
                condition=data["condition"],
                gap_explanation=data["gap_explanation"],
                photos=data["photos"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Have a good trip!"))
            return redirect("bookings:detail", slug=slug, pk=pk)
    context = {"booking": booking, "form": form, "departure": departure_state(booking)}
    return render(request, "bookings/checkout.html", context)


def _receipts(formset: Any) -> list[ReceiptInput]:
    return [
        ReceiptInput(f.cleaned_data["amount"], f.cleaned_data["date"], f.cleaned_data["photo"])
        for f in formset.forms
        if f.cleaned_data.get("amount") is not None
    ]


@require_http_methods(["GET", "POST"])
@member_required
def checkin(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    """Bring the car back: odometer, level, fuel receipts, damage, where it is parked."""
    booking = get_booking_for_participant(request.membership, pk)
    post, files = request.POST or None, request.FILES or None
    form = CheckInForm(post, files, initial={"parked_at": booking.vehicle.parking_place})
    receipts = ReceiptFormSet(post, files, prefix="receipts")
    if request.method == "POST" and form.is_valid() and receipts.is_valid():
        data = form.cleaned_data
        report = Return(
            reading=Reading(data["odometer"], data["fuel_level"]),
            receipts=_receipts(receipts),
            damage=data["damage"],
            parked_at=data["parked_at"],
            photos=data["photos"],
            damage_photos=data["damage_photos"],
        )
        try:
            trip = check_in(actor=request.membership, booking=booking, report=report)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Thank you! %(km)s km recorded.") % {"km": trip.km})
            _tell_pending(request, trip)
            return redirect("bookings:detail", slug=slug, pk=pk)
    context = {"booking": booking, "form": form, "receipts": receipts}
    return render(request, "bookings/checkin.html", context)


def _tell_pending(request: AssociationRequest, trip: Trip) -> None:
    pending = trip.fuel_receipts.filter(status=FuelReceipt.Status.PENDING).count()
    if pending:
        message = ngettext(
            "Your receipt waits for the approval of an owner of the car or an administrator: "
            "it is refunded then.",
            "%(count)s receipts wait for the approval of an owner of the car or an "
            "administrator: they are refunded then.",
            pending,
        )
        messages.info(request, message % {"count": pending})


@require_safe
@admin_required
def review(request: AssociationRequest, slug: str) -> HttpResponse:
    """Odometer gaps (with their km) and implausible distances, for the admins."""
    trips = trips_to_review(request.association)[:200]
    return render(request, "bookings/review.html", {"trips": trips})


@require_safe
@member_required
def trip_photo(request: AssociationRequest, slug: str, pk: int, photo_id: int) -> HttpResponse:
    booking = get_booking_for_participant(request.membership, pk)
    photo = TripPhoto.objects.filter(trip__booking=booking, pk=photo_id).first()
    if photo is None:
        raise Http404
    return _private(photo.file)


@require_safe
@member_required
def receipt_photo(request: AssociationRequest, slug: str, pk: int, receipt_id: int) -> HttpResponse:
    booking = get_booking_for_participant(request.membership, pk)
    receipt = FuelReceipt.objects.filter(trip__booking=booking, pk=receipt_id).first()
    if receipt is None:
        raise Http404
    return _private(receipt.photo)


def _private(field_file: Any) -> HttpResponse:
    # A streamed FileResponse; the decorators are typed for HttpResponse views.
    return cast(HttpResponse, serve_private_file(field_file))
