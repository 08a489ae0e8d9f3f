"""Bookings API under /api/v1/associations/{slug}/: thin views, writes through services.

Refusals answer `{"code", "detail"}`: 403 with an eligibility reason code, 409 with
`overlap` (or `invalid_status`), 400 with field errors or a domain code.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from bookings.access import (
    get_booking_for_manager,
    get_booking_for_participant,
    get_receipt_for_participant,
    get_waiting_entry_for_member,
)
from bookings.documents import FineNotice, render_designation
from bookings.models import Announcement
from bookings.selectors.availability import VehicleFilters, free_vehicles
from bookings.selectors.bookings import bookings_visible_to, my_waiting_entries
from bookings.serializers import (
    AnnouncementInput,
    AnnouncementOutput,
    BookingAvailabilityInput,
    BookingChangeInput,
    BookingCheckInInput,
    BookingCheckOutInput,
    BookingErrorOutput,
    BookingInput,
    BookingListInput,
    BookingOutput,
    BookingPageOutput,
    BookingReasonInput,
    BookingSeriesInput,
    BookingSeriesOutput,
    BookingTripOutput,
    DesignationInput,
    FreeVehicleOutput,
    FuelReceiptOutput,
    ReceiptDecisionInput,
    SeriesCancelOutput,
    WaitingInput,
    WaitingOutput,
)
from bookings.services.announcements import parse_audience, publish_announcement
from bookings.services.bookings import (
    approve_booking,
    cancel_booking,
    create_booking,
    refuse_booking,
)
from bookings.services.changes import change_booking
from bookings.services.receipts import ReceiptInput, approve_receipt, refuse_receipt
from bookings.services.series import book_series, cancel_rest_of_series
from bookings.services.trips import Reading, Return, check_in, check_out
from bookings.services.waiting import join_waiting_list, leave_waiting_list
from contracts.api import PdfAPIView
from members.api_access import AssociationAPIView
from members.models import Membership
from members.permissions import require_admin
from vehicles.access import get_vehicle_for_member

ERRORS: dict[int, Any] = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Field errors, or a domain code."),
    401: OpenApiResponse(BookingErrorOutput, description="Not authenticated."),
    403: OpenApiResponse(BookingErrorOutput, description="Refused: `code` is the reason."),
    404: OpenApiResponse(BookingErrorOutput, description="No such object in this association."),
    409: OpenApiResponse(
        BookingErrorOutput, description="Conflict: `overlap` or `invalid_status`."
    ),
}


def _errors(*codes: int) -> dict[int, Any]:
    return {code: ERRORS[code] for code in codes}


class AvailabilityView(AssociationAPIView):
    @extend_schema(
        parameters=[BookingAvailabilityInput],
        responses={200: FreeVehicleOutput(many=True), **_errors(400, 401, 403, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        """Vehicles free over [start, end) (filters: seats, electric, gearbox)."""
        membership = self.membership
        query = BookingAvailabilityInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        filters = VehicleFilters(data.get("seats"), data["electric"], data.get("gearbox", ""))
        vehicles = free_vehicles(
            membership.association, data["start"], data["end"], filters, membership
        )
        return Response(FreeVehicleOutput(vehicles, many=True).data)


class BookingListView(AssociationAPIView):
    @extend_schema(
        operation_id="bookings_list",
        parameters=[BookingListInput],
        responses={200: BookingPageOutput, **_errors(400, 401, 403, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        """Bookings the caller drives or manages (admins: all), by start."""
        membership = self.membership
        query = BookingListInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        bookings = bookings_visible_to(membership)
        if "start" in data:
            bookings = bookings.filter(end__gt=data["start"])
        if "end" in data:
            bookings = bookings.filter(start__lt=data["end"])
        if "vehicle" in data:
            bookings = bookings.filter(vehicle_id=data["vehicle"])
        offset, limit = data["offset"], data["limit"]
        page = {"count": bookings.count(), "results": bookings[offset : offset + limit]}
        return Response(BookingPageOutput(page).data)

    @extend_schema(
        request=BookingInput,
        responses={201: BookingOutput, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, slug: str) -> Response:
        """Book: 201 with the status; 409 `overlap`; 403 with the eligibility reason."""
        membership = self.membership
        payload = BookingInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        vehicle = get_vehicle_for_member(membership, data["vehicle"])
        driver = membership
        if data.get("driver") and data["driver"] != membership.pk:
            driver = _driver(membership, data["driver"])
        booking = create_booking(
            actor=membership,
            driver=driver,
            vehicle=vehicle,
            start=data["start"],
            end=data["end"],
            note=data["note"],
            estimated_km=data.get("estimated_km"),
            deductible_accepted=data["accept_higher_deductible"],
        )
        return Response(BookingOutput(booking).data, status=status.HTTP_201_CREATED)


class BookingSeriesView(AssociationAPIView):
    @extend_schema(
        request=BookingSeriesInput,
        responses={201: BookingSeriesOutput, **_errors(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str) -> Response:
        """Book every day or every week (26 at most): each occurrence is checked on its own;
        `refused` lists those the rules refused, with their reason code."""
        membership = self.membership
        payload = BookingSeriesInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        result = book_series(
            actor=membership,
            vehicle=get_vehicle_for_member(membership, data["vehicle"]),
            start=data["start"],
            end=data["end"],
            every=data["every"],
            count=data["count"],
            note=data["note"],
        )
        return Response(BookingSeriesOutput(result).data, status=status.HTTP_201_CREATED)


def _driver(membership: Membership, pk: int) -> Membership:
    driver = Membership.objects.filter(association_id=membership.association_id, pk=pk).first()
    if driver is None:
        raise Http404
    return driver


class BookingDetailView(AssociationAPIView):
    @extend_schema(
        operation_id="bookings_retrieve", responses={200: BookingOutput, **_errors(401, 403, 404)}
    )
    def get(self, request: Request, slug: str, pk: int) -> Response:
        """One booking (its driver, the vehicle's owners and the admins)."""
        booking = get_booking_for_participant(self.membership, pk)
        return Response(BookingOutput(booking).data)

    @extend_schema(
        operation_id="bookings_change",
        request=BookingChangeInput,
        responses={200: BookingOutput, **_errors(400, 401, 403, 404, 409)},
    )
    def patch(self, request: Request, slug: str, pk: int) -> Response:
        """Change the times or the car: 409 `overlap`; 403 with the eligibility reason."""
        membership = self.membership
        booking = get_booking_for_participant(membership, pk)
        payload = BookingChangeInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        vehicle = get_vehicle_for_member(membership, data["vehicle"]) if "vehicle" in data else None
        booking = change_booking(
            actor=membership,
            booking=booking,
            start=data.get("start"),
            end=data.get("end"),
            vehicle=vehicle,
        )
        return Response(BookingOutput(booking).data)


class DecisionView(AssociationAPIView):
    action = "approve"

    @extend_schema(
        request=BookingReasonInput,
        responses={200: BookingOutput, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        """approve (owners, admins), refuse with a reason (owners, admins), cancel."""
        membership = self.membership
        booking = get_booking_for_participant(membership, pk)
        payload = BookingReasonInput(data=request.data)
        payload.is_valid(raise_exception=True)
        reason = payload.validated_data["reason"]
        if self.action == "approve":
            booking = approve_booking(actor=membership, booking=booking)
        elif self.action == "refuse":
            booking = refuse_booking(actor=membership, booking=booking, reason=reason)
        else:
            booking = cancel_booking(actor=membership, booking=booking, reason=reason)
        return Response(BookingOutput(booking).data)


class ApproveView(DecisionView):
    action = "approve"


class RefuseView(DecisionView):
    action = "refuse"


class CancelView(DecisionView):
    action = "cancel"


class SeriesCancelView(AssociationAPIView):
    @extend_schema(
        operation_id="bookings_cancel_series",
        request=BookingReasonInput,
        responses={200: SeriesCancelOutput, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        """Cancel this occurrence and the later ones of its series that have not started
        (one occurrence alone: `…/bookings/{id}/cancel/`); 400 `not_a_series`."""
        membership = self.membership
        booking = get_booking_for_participant(membership, pk)
        payload = BookingReasonInput(data=request.data)
        payload.is_valid(raise_exception=True)
        cancelled = cancel_rest_of_series(
            actor=membership, booking=booking, reason=payload.validated_data["reason"]
        )
        return Response(SeriesCancelOutput({"cancelled": cancelled}).data)


class WaitingListView(AssociationAPIView):
    @extend_schema(operation_id="waiting_list", responses={200: WaitingOutput(many=True)})
    def get(self, request: Request, slug: str) -> Response:
        """The slots the caller waits for (not told yet, not begun)."""
        entries = my_waiting_entries(self.membership)
        return Response(WaitingOutput(entries, many=True).data)

    @extend_schema(
        operation_id="waiting_list_join",
        request=WaitingInput,
        responses={201: WaitingOutput, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, slug: str) -> Response:
        """Wait for a taken slot: 409 `slot_free` (book it instead) or `already_waiting`;
        403 with the eligibility reason; 400 `too_many_waiting`."""
        membership = self.membership
        payload = WaitingInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        entry = join_waiting_list(
            actor=membership,
            vehicle=get_vehicle_for_member(membership, data["vehicle"]),
            start=data["start"],
            end=data["end"],
        )
        return Response(WaitingOutput(entry).data, status=status.HTTP_201_CREATED)


class WaitingEntryView(AssociationAPIView):
    @extend_schema(
        operation_id="waiting_list_leave", responses={204: None, **_errors(401, 403, 404)}
    )
    def delete(self, request: Request, slug: str, pk: int) -> Response:
        """Leave a waiting list (the caller's own entry)."""
        membership = self.membership
        entry = get_waiting_entry_for_member(membership, pk)
        leave_waiting_list(actor=membership, entry=entry)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CheckOutView(AssociationAPIView):
    @extend_schema(
        request=BookingCheckOutInput,
        responses={201: BookingTripOutput, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        """Take the car: odometer (km) and fuel or charge level (%)."""
        membership = self.membership
        booking = get_booking_for_participant(membership, pk)
        payload = BookingCheckOutInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        trip = check_out(
            actor=membership,
            booking=booking,
            reading=Reading(data["odometer"], data["fuel_level"]),
            condition=data.get("condition", ""),
            gap_explanation=data.get("gap_explanation", ""),
        )
        return Response(BookingTripOutput(trip).data, status=status.HTTP_201_CREATED)


class CheckInView(AssociationAPIView):
    @extend_schema(
        request=BookingCheckInInput,
        responses={200: BookingTripOutput, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        """Bring the car back: odometer, level, fuel receipts, damage. Receipts must be dated
        within the trip and stay under its ceiling (400 `receipt_outside_trip`,
        `receipt_above_ceiling`); sent here without a photo, each one waits for approval:
        the answer lists them with their status (`approved`, `pending`, `refused`)."""
        membership = self.membership
        booking = get_booking_for_participant(membership, pk)
        payload = BookingCheckInInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        receipts = [ReceiptInput(r["amount"], r["date"]) for r in data.get("fuel_receipts", [])]
        report = Return(
            reading=Reading(data["odometer"], data["fuel_level"]),
            receipts=receipts,
            damage=data.get("damage", ""),
            parked_at=data.get("parked_at", ""),
        )
        trip = check_in(actor=membership, booking=booking, report=report)
        return Response(BookingTripOutput(trip).data)


class ReceiptDecisionView(AssociationAPIView):
    action = "approve"

    @extend_schema(
        request=ReceiptDecisionInput,
        responses={200: FuelReceiptOutput, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, slug: str, pk: int, receipt_id: int) -> Response:
        """approve, or refuse with a `reason`, a pending fuel receipt (owners of the car and
        admins; not the driver, unless the car is theirs alone): 403 `receipt_own`."""
        membership = self.membership
        receipt = get_receipt_for_participant(membership, pk, receipt_id)
        payload = ReceiptDecisionInput(data=request.data)
        payload.is_valid(raise_exception=True)
        if self.action == "approve":
            receipt = approve_receipt(actor=membership, receipt=receipt)
        else:
            reason = payload.validated_data["reason"]
            receipt = refuse_receipt(actor=membership, receipt=receipt, reason=reason)
        return Response(FuelReceiptOutput(receipt).data)


class ReceiptApproveView(ReceiptDecisionView):
    action = "approve"


class ReceiptRefuseView(ReceiptDecisionView):
    action = "refuse"


class AnnouncementListView(AssociationAPIView):
    """The admins' announcements: the history (GET) and a new one (POST)."""

    @extend_schema(
        operation_id="announcements_list",
        responses={200: AnnouncementOutput(many=True), **_errors(401, 403, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        """Every announcement of the association, newest first (admins)."""
        membership = self.membership
        require_admin(membership)
        written = Announcement.objects.filter(association=membership.association)
        return Response(AnnouncementOutput(written, many=True).data)

    @extend_schema(
        request=AnnouncementInput,
        responses={201: AnnouncementOutput, **_errors(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str) -> Response:
        """Write to `all` the members, the `owners`, or the drivers of `vehicle:<id>`: 201;
        delivered once to each of them through the notifications outbox."""
        membership = self.membership
        require_admin(membership)
        payload = AnnouncementInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        audience, vehicle = parse_audience(membership, data["audience"])
        announcement = publish_announcement(
            actor=membership,
            subject=data["subject"],
            body=data["body"],
            audience=audience,
            vehicle=vehicle,
        )
        return Response(AnnouncementOutput(announcement).data, status=status.HTTP_201_CREATED)


class DesignationView(AssociationAPIView, PdfAPIView):
    """The driver-designation letter of a booking for a fine (its car's owners and the
    admins): the PDF, or 409 `document_incomplete` naming the empty required fields
    (`missing`: "driver.birth_place", "driver.address", "holders.0.address"…)."""

    @extend_schema(
        parameters=[DesignationInput],
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY), **ERRORS},
    )
    def get(self, request: Request, slug: str, pk: int) -> HttpResponse:
        booking = get_booking_for_manager(self.membership, pk)
        data = DesignationInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        document = render_designation(booking, FineNotice(**data.validated_data))
        response = HttpResponse(document.pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="designation-{booking.pk}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response
