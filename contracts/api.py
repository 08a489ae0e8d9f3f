"""API of contracts: the agreements the caller may see, and their stored PDFs."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts.access import get_agreement_for_member
from contracts.models import Agreement
from contracts.selectors import STATE_FILTERS, filter_agreements, visible_agreements
from contracts.services import agreement_downloaded
from core.files import serve_private_file
from members.api_access import AssociationAPIView


class AgreementFilterInput(serializers.Serializer[Any]):
    state = serializers.ChoiceField(choices=list(STATE_FILTERS), required=False)
    vehicle = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class AgreementOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    status = serializers.CharField()
    vehicle_id = serializers.IntegerField()
    vehicle_name = serializers.CharField(source="vehicle.name")
    plate = serializers.CharField(source="vehicle.plate")
    driver_membership_id = serializers.IntegerField(source="driver_id")
    driver_name = serializers.CharField(source="driver.user.display_name")
    driver_is_owner = serializers.BooleanField()
    template = serializers.CharField(source="template_label")
    generated_at = serializers.DateTimeField()
    printed_at = serializers.DateTimeField(allow_null=True)
    signed_on = serializers.DateField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    outdated_reasons = serializers.ListField(child=serializers.CharField())
    page_count = serializers.IntegerField()
    pdf_sha256 = serializers.CharField()


@extend_schema(parameters=[AgreementFilterInput])
class AgreementListView(AssociationAPIView, ListAPIView[Agreement]):
    """Agreements of the association: all for admins; a member's own and those of the
    cars they own for members. Filters: state (to_print, to_sign, to_resign, signed,
    ended), vehicle (id)."""

    serializer_class = AgreementOutput

    def get_queryset(self) -> Any:
        filters = AgreementFilterInput(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return filter_agreements(
            visible_agreements(self.membership),
            state=filters.validated_data.get("state", ""),
            vehicle_id=filters.validated_data.get("vehicle"),
        ).order_by("id")


class PdfRenderer(BaseRenderer):
    """Lets clients ask for application/pdf; the PDF itself is streamed as a file."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> Any:
        return data


class PdfAPIView(APIView):
    """An endpoint that answers a PDF, or a JSON body when it refuses."""

    renderer_classes = [JSONRenderer, PdfRenderer]

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(response, Response):  # an error: its body is always JSON
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class AgreementPdfView(AssociationAPIView, PdfAPIView):
    """The stored PDF of an agreement, as generated (never rendered again)."""

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
        }
    )
    def get(self, request: Request, slug: str, pk: int) -> Any:
        caller = self.membership
        agreement = get_agreement_for_member(caller, pk)
        agreement_downloaded(actor=caller, agreement=agreement)  # an admin prints it
        return serve_private_file(agreement.pdf, download_name=f"agreement-{agreement.pk}.pdf")
