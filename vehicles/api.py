"""The fleet's API: GET /api/v1/associations/{slug}/vehicles/ and …/vehicles/{id}/ for
members; POST (create) and PATCH (update) for owners and admins; POST …/vehicles/{id}/
insurance/ records a new policy (owners and admins)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from core.errors import ForbiddenError
from core.timeutils import local_today
from members.api_access import AssociationAPIView
from members.models import Membership
from vehicles import selectors, services
from vehicles.access import get_vehicle_for_manager, get_vehicle_for_member
from vehicles.models import Vehicle
from vehicles.serializers import (
    OWNERSHIP_INPUTS,
    InsuranceManagerOutput,
    InsurancePolicyInput,
    VehicleForCaller,
    VehicleInput,
    VehicleManagerOutput,
    VehicleOutput,
)


class VehicleListView(AssociationAPIView):
    """The association's vehicles; owners and admins see more of the ones they manage."""

    @extend_schema(responses={200: VehicleForCaller(many=True)}, operation_id="vehicles_list")
    def get(self, request: Request, slug: str) -> Response:
        membership = self.membership
        today = local_today(membership.association.tz)
        summaries = selectors.fleet_summaries(membership.association, membership, today)
        return Response([_output(summary, request, membership) for summary in summaries])

    @extend_schema(
        request=VehicleInput, responses={201: VehicleManagerOutput}, operation_id="vehicles_create"
    )
    def post(self, request: Request, slug: str) -> Response:
        membership = self.membership
        data = _valid_input(request, membership, partial=False)
        plan = _ownership_plan(data, membership) if _has_ownership(data) else None
        vehicle = services.create_vehicle(
            actor=membership,
            fields=_vehicle_fields(data),
            ownership=plan,
            allowed_drivers=data.get("allowed_drivers"),
        )
        return Response(_fresh(vehicle, request, membership), status=status.HTTP_201_CREATED)


class VehicleDetailView(AssociationAPIView):
    """One vehicle of the association."""

    @extend_schema(responses={200: VehicleForCaller}, operation_id="vehicles_retrieve")
    def get(self, request: Request, slug: str, pk: int) -> Response:
        membership = self.membership
        vehicle = get_vehicle_for_member(membership, pk)
        return Response(_fresh(vehicle, request, membership))

    @extend_schema(
        request=VehicleInput, responses={200: VehicleManagerOutput}, operation_id="vehicles_update"
    )
    def patch(self, request: Request, slug: str, pk: int) -> Response:
        membership = self.membership
        vehicle = get_vehicle_for_manager(membership, pk)
        data = _valid_input(request, membership, partial=True)
        plan = _ownership_plan(data, membership, vehicle) if _has_ownership(data) else None
        # One request, one outcome: the description and the ownership change together or
        # not at all (the services' own transactions become savepoints of this one).
        with transaction.atomic():
            services.update_vehicle(
                actor=membership,
                vehicle=vehicle,
                fields=_vehicle_fields(data),
                allowed_drivers=data.get("allowed_drivers"),
            )
            if plan is not None:
                services.set_vehicle_ownership(actor=membership, vehicle=vehicle, plan=plan)
        return Response(_fresh(vehicle, request, membership))


class InsurancePolicyCreateView(AssociationAPIView):
    """A new insurance policy for the vehicle; it becomes the active one. A policy that
    loosens a rule of the current one answers 409 `rules_loosened` with the list of the
    loosened rules, unless the body says `"confirm_loosening": true` (audited)."""

    @extend_schema(
        request=InsurancePolicyInput,
        responses={201: InsuranceManagerOutput},
        operation_id="vehicles_insurance_create",
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        membership = self.membership
        vehicle = get_vehicle_for_manager(membership, pk)
        serializer = InsurancePolicyInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        confirmed = fields.pop("confirm_loosening")
        policy = services.add_insurance_policy(
            actor=membership, vehicle=vehicle, fields=fields, confirm_loosening=confirmed
        )
        context = {"association": membership.association, "request": request}
        output = InsuranceManagerOutput(policy, context=context).data
        return Response(output, status=status.HTTP_201_CREATED)


def _valid_input(request: Request, membership: Membership, *, partial: bool) -> dict[str, Any]:
    context = {"association": membership.association, "request": request}
    serializer = VehicleInput(data=request.data, partial=partial, context=context)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _vehicle_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in data.items() if name in services.VEHICLE_FIELDS}


def _has_ownership(data: dict[str, Any]) -> bool:
    return any(name in data for name in OWNERSHIP_INPUTS)


def _ownership_plan(
    data: dict[str, Any], membership: Membership, vehicle: Vehicle | None = None
) -> services.OwnershipPlan:
    """The plan from the input, completed from the vehicle for a partial update."""
    if not membership.is_admin:
        raise ForbiddenError(
            _("Only the association's admins may change who owns a vehicle."),
            code="ownership_admin_only",
        )
    if "owners" in data:
        shares = [(row["membership"], row["share"]) for row in data["owners"]]
    elif vehicle is not None:
        shares = [(share.owner, share.share) for share in selectors.ownership_shares(vehicle)]
    else:
        shares = []
    current_kind = vehicle.owner_kind if vehicle is not None else _default_kind(shares)
    current_holder = vehicle.registration_holder if vehicle is not None else None
    return services.OwnershipPlan(
        owner_kind=data.get("owner_kind") or current_kind,
        shares=tuple(shares),
        registration_holder=data.get("registration_holder", current_holder),
    )


def _default_kind(shares: list[Any]) -> str:
    if not shares:
        return Vehicle.OwnerKind.ASSOCIATION
    return Vehicle.OwnerKind.MEMBER if len(shares) == 1 else Vehicle.OwnerKind.CO_OWNERS


def _fresh(vehicle: Vehicle, request: Request, membership: Membership) -> dict[str, Any]:
    today = local_today(membership.association.tz)
    summary = selectors.vehicle_summary(vehicle, membership, today)
    return _output(summary, request, membership)


def _output(
    summary: selectors.VehicleSummary, request: Request, membership: Membership
) -> dict[str, Any]:
    context = {"association": membership.association, "request": request}
    serializer_class = VehicleManagerOutput if summary.can_manage else VehicleOutput
    return dict(serializer_class(summary, context=context).data)
