"""API input and output serializers of incidents: one input and one output per endpoint."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from rest_framework import serializers

from bookings.models import Incident, IncidentPhoto, IncidentReply
from bookings.models_incidents import MAX_REPAIR_COST

MAX_ID = 2**31 - 1


def id_field(*, required: bool = True, help_text: str = "") -> serializers.IntegerField:
    return serializers.IntegerField(
        required=required,
        allow_null=not required,
        min_value=1,
        max_value=MAX_ID,
        help_text=help_text or None,
    )


def amount_field(*, required: bool = True) -> serializers.DecimalField:
    return serializers.DecimalField(
        required=required,
        allow_null=not required,
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=MAX_REPAIR_COST,
    )


class IncidentInput(serializers.Serializer[Any]):
    vehicle = id_field()
    booking = id_field(required=False)
    kind = serializers.ChoiceField(choices=Incident.Kind.choices)
    description = serializers.CharField(max_length=4000)
    occurred_at = serializers.DateTimeField(required=False)


class IncidentListInput(serializers.Serializer[Any]):
    vehicle = id_field(required=False)
    status = serializers.ChoiceField(choices=Incident.Status.choices, required=False)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=500, default=100)
    offset = serializers.IntegerField(required=False, min_value=0, max_value=10**6, default=0)


class IncidentSettleInput(serializers.Serializer[Any]):
    amount = amount_field()
    responsible = id_field(help_text="The responsible driver's membership id.")
    draw_deposit = serializers.BooleanField(required=False, default=False)
    decision = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class IncidentCloseInput(serializers.Serializer[Any]):
    decision = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class IncidentAssessInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Incident.Kind.choices)
    repair_cost = amount_field(required=False)
    document_kind = serializers.ChoiceField(
        choices=Incident.RepairDocument.choices, required=False, allow_blank=True, default=""
    )
    insurer_involved = serializers.BooleanField(required=False, default=False)


class IncidentReplyInput(serializers.Serializer[Any]):
    body = serializers.CharField(max_length=4000)


class IncidentPhotoOutput(serializers.ModelSerializer[IncidentPhoto]):
    url = serializers.SerializerMethodField()

    class Meta:
        model = IncidentPhoto
        fields = ["id", "stage", "booking", "uploaded_at", "url"]

    def get_url(self, photo: IncidentPhoto) -> str:
        slug = self.context["slug"]
        return reverse(
            "api-incident-photo",
            kwargs={"slug": slug, "pk": photo.incident_id, "photo_id": photo.pk},
        )


class IncidentReplyOutput(serializers.ModelSerializer[IncidentReply]):
    author_name = serializers.CharField(source="author.user.display_name")

    class Meta:
        model = IncidentReply
        fields = ["id", "author", "author_name", "body", "created_at"]


class IncidentOutput(serializers.ModelSerializer[Incident]):
    vehicle_name = serializers.CharField(source="vehicle.name")
    reported_by_name = serializers.CharField(source="reported_by.user.display_name")
    ledger_reference = serializers.SerializerMethodField()
    photos = IncidentPhotoOutput(many=True)
    replies = IncidentReplyOutput(many=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "vehicle",
            "vehicle_name",
            "booking",
            "kind",
            "description",
            "status",
            "occurred_at",
            "reported_at",
            "reported_by",
            "reported_by_name",
            "repair_cost",
            "repair_document_kind",
            "insurer_involved",
            "responsible",
            "charged_amount",
            "deductible_applied",
            "remainder_amount",
            "remainder_bearer",
            "ledger_reference",
            "decision",
            "decided_at",
            "photos",
            "replies",
        ]

    def get_ledger_reference(self, incident: Incident) -> str:
        return incident.reference if incident.ledger_transaction_id else ""


class IncidentPageOutput(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    results = IncidentOutput(many=True)
