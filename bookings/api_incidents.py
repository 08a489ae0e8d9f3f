"""Incidents API under /api/v1/associations/{slug}/incidents/: thin views over the services.

Refusals answer `{"code", "detail"}`: 400 `above_deductible` (with `deductible`) when a
charge exceeds the deductible that applied to the responsible driver, 403 for who may see
but not decide, 404 outside the association, 409 `invalid_status` once decided.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from bookings.access import (
    can_assess_incident,
    get_booking_for_member,
    get_incident_for_member,
    is_admin,
)
from bookings.api import _errors
from bookings.models import Incident
from bookings.selectors.incidents import incidents_visible_to
from bookings.serializers_incidents import (
    IncidentAssessInput,
    IncidentCloseInput,
    IncidentInput,
    IncidentListInput,
    IncidentOutput,
    IncidentPageOutput,
    IncidentReplyInput,
    IncidentReplyOutput,
    IncidentSettleInput,
)
from bookings.services.incidents import (
    Assessment,
    Report,
    assess_incident,
    reply_to_incident,
    report_incident,
)
from bookings.services.settlement import Decision, close_incident, settle_incident
from core.files import serve_private_file
from members.access import get_member_for_admin
from members.api_access import AssociationAPIView
from members.models import Membership
from vehicles.access import get_vehicle_for_member


class IncidentAPIView(AssociationAPIView):
    def output(self, incident: Incident, slug: str, code: int = status.HTTP_200_OK) -> Response:
        return Response(IncidentOutput(incident, context={"slug": slug}).data, status=code)

    def incident(
        self, slug: str, pk: int, allowed: Callable[[Membership, Incident], bool] | None = None
    ) -> tuple[Membership, Incident]:
        """The caller and the incident (404 / 403), and 403 unless `allowed` says yes."""
        membership = self.membership
        incident = get_incident_for_member(membership, pk)
        if allowed is not None and not allowed(membership, incident):
            raise PermissionDenied
        return membership, incident


class IncidentListView(IncidentAPIView):
    @extend_schema(
        operation_id="incidents_list",
        parameters=[IncidentListInput],
        responses={200: IncidentPageOutput, **_errors(400, 401, 403, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        """Incidents the caller may see (admins: all), newest first."""
        membership = self.membership
        query = IncidentListInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        incidents = incidents_visible_to(membership).prefetch_related(
            "photos", "replies__author__user"
        )
        if "vehicle" in data:
            incidents = incidents.filter(vehicle_id=data["vehicle"])
        if "status" in data:
            incidents = incidents.filter(status=data["status"])
        offset, limit = data["offset"], data["limit"]
        page = {"count": incidents.count(), "results": incidents[offset : offset + limit]}
        return Response(IncidentPageOutput(page, context={"slug": slug}).data)

    @extend_schema(
        request=IncidentInput, responses={201: IncidentOutput, **_errors(400, 401, 403, 404)}
    )
    def post(self, request: Request, slug: str) -> Response:
        """Report an incident on a car (during a trip: give its booking); 201."""
        membership = self.membership
        payload = IncidentInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        vehicle = get_vehicle_for_member(membership, data["vehicle"])
        booking = (
            get_booking_for_member(membership, data["booking"]) if data.get("booking") else None
        )
        incident = report_incident(
            actor=membership,
            report=Report(
                vehicle=vehicle,
                kind=data["kind"],
                description=data["description"],
                booking=booking,
                occurred_at=data.get("occurred_at"),
            ),
        )
        return self.output(incident, slug, status.HTTP_201_CREATED)


class IncidentDetailView(IncidentAPIView):
    @extend_schema(
        operation_id="incidents_retrieve", responses={200: IncidentOutput, **_errors(401, 403, 404)}
    )
    def get(self, request: Request, slug: str, pk: int) -> Response:
        """One incident (the people involved, the car's owners, the admins)."""
        _membership, incident = self.incident(slug, pk)
        return self.output(incident, slug)


class IncidentSettleView(IncidentAPIView):
    @extend_schema(
        request=IncidentSettleInput,
        responses={200: IncidentOutput, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        """Admins: charge the responsible driver at most their deductible (400
        `above_deductible` otherwise), in one ledger transaction; 200."""
        membership, incident = self.incident(slug, pk, is_admin)
        payload = IncidentSettleInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        decision = Decision(
            responsible=get_member_for_admin(membership, data["responsible"]),
            amount=data["amount"],
            draw_deposit=data["draw_deposit"],
            note=data["decision"],
        )
        incident = settle_incident(actor=membership, incident=incident, decision=decision)
        return self.output(incident, slug)


class IncidentCloseView(IncidentAPIView):
    @extend_schema(
        request=IncidentCloseInput,
        responses={200: IncidentOutput, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        """Admins: close the incident without charge."""
        membership, incident = self.incident(slug, pk, is_admin)
        payload = IncidentCloseInput(data=request.data)
        payload.is_valid(raise_exception=True)
        note = payload.validated_data["decision"]
        incident = close_incident(actor=membership, incident=incident, note=note)
        return self.output(incident, slug)


class IncidentAssessView(IncidentAPIView):
    @extend_schema(
        request=IncidentAssessInput,
        responses={200: IncidentOutput, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        """The car's owners and the admins: the repair's cost, the insurer's involvement."""
        membership, incident = self.incident(slug, pk, can_assess_incident)
        payload = IncidentAssessInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        assessment = Assessment(
            kind=data["kind"],
            repair_cost=data.get("repair_cost"),
            document_kind=data["document_kind"],
            insurer_involved=data["insurer_involved"],
        )
        incident = assess_incident(actor=membership, incident=incident, assessment=assessment)
        return self.output(incident, slug)


class IncidentReplyView(IncidentAPIView):
    @extend_schema(
        request=IncidentReplyInput,
        responses={201: IncidentReplyOutput, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        """The people involved reply (contest, explain) until the decision; 201."""
        membership, incident = self.incident(slug, pk)
        payload = IncidentReplyInput(data=request.data)
        payload.is_valid(raise_exception=True)
        body = payload.validated_data["body"]
        reply = reply_to_incident(actor=membership, incident=incident, body=body)
        return Response(IncidentReplyOutput(reply).data, status=status.HTTP_201_CREATED)


class IncidentPhotoView(IncidentAPIView):
    @extend_schema(
        responses={
            (200, "image/*"): OpenApiResponse(OpenApiTypes.BINARY, description="The photo."),
            **_errors(401, 403, 404),
        }
    )
    def get(self, request: Request, slug: str, pk: int, photo_id: int) -> HttpResponse:
        """A photo of an incident the caller may see."""
        _membership, incident = self.incident(slug, pk)
        photo = incident.photos.filter(pk=photo_id).first()
        if photo is None:
            raise Http404
        return cast(HttpResponse, serve_private_file(photo.file))
