"""The owner's own time in the API: POST /api/v1/associations/{slug}/vehicles/{id}/
unavailability/ ({"start", "end", "reason"}, optionally repeated on "weekdays" until
"repeat_until") → 201; GET lists the car's periods; DELETE …/unavailability/{pk}/ frees one.
Owners and admins only (403 for the other members, 404 outside the association)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from bookings.api import _errors
from bookings.forms_owner_time import weekday_mask, weekdays_of
from bookings.models import Unavailability
from bookings.selectors.owner_time import unavailabilities_of
from bookings.serializers import BoundedDateTimeField
from bookings.services.owner_time import Block, block_period, unblock_period
from members.api_access import AssociationAPIView
from vehicles.access import get_vehicle_for_manager


class UnavailabilityInput(serializers.Serializer[Any]):
    start = BoundedDateTimeField()
    end = BoundedDateTimeField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        required=False,
        max_length=7,
        default=list,
        help_text="Repeat on these weekdays (0 is Monday); empty for a single period.",
    )
    repeat_until = serializers.DateField(
        required=False, allow_null=True, help_text="Last local day of a repeated period."
    )


class UnavailabilityOutput(serializers.ModelSerializer[Unavailability]):
    weekdays = serializers.SerializerMethodField()

    class Meta:
        model = Unavailability
        fields = [
            "id",
            "vehicle",
            "start",
            "end",
            "reason",
            "weekdays",
            "repeat_until",
            "created_by",
        ]

    def get_weekdays(self, rule: Unavailability) -> list[int]:
        return weekdays_of(rule.weekdays)


class UnavailabilityListView(AssociationAPIView):
    @extend_schema(
        operation_id="vehicle_unavailability_list",
        responses={200: UnavailabilityOutput(many=True), **_errors(401, 403, 404)},
    )
    def get(self, request: Request, slug: str, pk: int) -> Response:
        """The car's periods still to come or still repeating."""
        vehicle = get_vehicle_for_manager(self.membership, pk)
        return Response(UnavailabilityOutput(unavailabilities_of(vehicle), many=True).data)

    @extend_schema(
        request=UnavailabilityInput,
        responses={201: UnavailabilityOutput, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        """Keep the car over a period (409 `bookings_in_period` if someone booked it)."""
        membership = self.membership
        vehicle = get_vehicle_for_manager(membership, pk)
        payload = UnavailabilityInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        block = Block(
            start=data["start"],
            end=data["end"],
            reason=data["reason"],
            weekdays=weekday_mask([str(day) for day in data["weekdays"]]),
            repeat_until=data.get("repeat_until"),
        )
        rule = block_period(actor=membership, vehicle=vehicle, block=block)
        return Response(UnavailabilityOutput(rule).data, status=status.HTTP_201_CREATED)


class UnavailabilityDetailView(AssociationAPIView):
    @extend_schema(responses={204: None, **_errors(401, 403, 404)})
    def delete(self, request: Request, slug: str, pk: int, rule_pk: int) -> Response:
        """Free a period: the car can be booked then again."""
        membership = self.membership
        vehicle = get_vehicle_for_manager(membership, pk)
        rule = Unavailability.objects.filter(vehicle=vehicle, pk=rule_pk).first()
        if rule is None:
            raise Http404
        unblock_period(actor=membership, rule=rule)
        return Response(status=status.HTTP_204_NO_CONTENT)
