"""API shapes of the fleet. Members get what they need to book and drive; owners and admins
also get policy numbers, the registration holder and the documents."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from members.models import Membership
from vehicles.models import InsurancePolicy, Vehicle
from vehicles.plates import normalise_plate
from vehicles.selectors import VehicleSummary
from vehicles.services import VEHICLE_FIELDS
from vehicles.services.records import POLICY_FIELDS

NULLABLE_URL = serializers.URLField(allow_null=True)


class StatusOutput(serializers.Serializer[Any]):
    code = serializers.CharField(source="status.value")
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    on = serializers.DateField(allow_null=True)


class OwnerOutput(serializers.Serializer[Any]):
    membership_id = serializers.IntegerField(source="owner_id")
    name = serializers.CharField(source="owner.user.display_name")
    share = serializers.DecimalField(max_digits=5, decimal_places=2)


class TariffOutput(serializers.Serializer[Any]):
    valid_from = serializers.DateField()
    price_per_km = serializers.DecimalField(max_digits=6, decimal_places=3)
    price_per_hour = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    daily_hour_cap = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    fuel_policy = serializers.CharField()


class InsuranceOutput(serializers.Serializer[Any]):
    insurer = serializers.CharField()
    cover = serializers.CharField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    deductible = serializers.DecimalField(max_digits=8, decimal_places=2)
    young_driver_rule = serializers.CharField()
    young_driver_deductible = serializers.DecimalField(
        max_digits=8, decimal_places=2, allow_null=True
    )
    min_driver_age = serializers.IntegerField()
    min_licence_years = serializers.IntegerField()


class InsuranceManagerOutput(InsuranceOutput):
    id = serializers.IntegerField()
    policy_number = serializers.CharField()
    substitute_policy = serializers.CharField()
    certificate_url = serializers.SerializerMethodField()

    @extend_schema_field(NULLABLE_URL)
    def get_certificate_url(self, policy: Any) -> str | None:
        if not policy.certificate:
            return None
        kwargs = {"pk": policy.vehicle_id, "policy_pk": policy.pk}
        return _absolute(self.context, "vehicles:policy_certificate", **kwargs)


class InsuranceForCaller(InsuranceOutput):
    """Schema only: the policy as members see it, plus what owners and admins get."""

    id = serializers.IntegerField(required=False)
    policy_number = serializers.CharField(required=False)
    substitute_policy = serializers.CharField(required=False)
    certificate_url = serializers.URLField(required=False, allow_null=True)


class DocumentOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    issued_on = serializers.DateField(allow_null=True)
    expires_on = serializers.DateField(allow_null=True)
    file_url = serializers.SerializerMethodField()

    @extend_schema_field(NULLABLE_URL)
    def get_file_url(self, document: Any) -> str | None:
        if not document.file:
            return None
        kwargs = {"pk": document.vehicle_id, "document_pk": document.pk}
        return _absolute(self.context, "vehicles:document_file", **kwargs)


class VehicleOutput(serializers.Serializer[Any]):
    """A vehicle as any member of the association sees it."""

    id = serializers.IntegerField(source="vehicle.pk")
    name = serializers.CharField(source="vehicle.name")
    make = serializers.CharField(source="vehicle.make")
    model = serializers.CharField(source="vehicle.model")
    plate = serializers.CharField(source="vehicle.plate")
    first_registered_on = serializers.DateField(
        source="vehicle.first_registered_on", allow_null=True
    )
    energy = serializers.CharField(source="vehicle.energy")
    gearbox = serializers.CharField(source="vehicle.gearbox")
    seats = serializers.IntegerField(source="vehicle.seats")
    tank_capacity = serializers.IntegerField(source="vehicle.tank_capacity", allow_null=True)
    photo_url = serializers.SerializerMethodField()
    parking_place = serializers.CharField(source="vehicle.parking_place")
    latitude = serializers.DecimalField(
        source="vehicle.latitude", max_digits=9, decimal_places=6, allow_null=True
    )
    longitude = serializers.DecimalField(
        source="vehicle.longitude", max_digits=9, decimal_places=6, allow_null=True
    )
    key_mode = serializers.CharField(source="vehicle.key_mode")
    key_arrangement = serializers.CharField(source="vehicle.key_arrangement")
    accessories = serializers.CharField(source="vehicle.accessories")
    usage_rules = serializers.CharField(source="vehicle.usage_rules")
    usual_radius_km = serializers.IntegerField(source="vehicle.usual_radius_km")
    is_active = serializers.BooleanField(source="vehicle.is_active")
    owner_kind = serializers.CharField(source="vehicle.owner_kind")
    owners = OwnerOutput(many=True)
    approval_required = serializers.BooleanField(source="vehicle.approval_required")
    drivers_restricted = serializers.BooleanField(source="vehicle.drivers_restricted")
    allowed_driver_ids = serializers.SerializerMethodField()
    min_notice_hours = serializers.IntegerField(source="vehicle.min_notice_hours")
    max_booking_hours = serializers.IntegerField(
        source="vehicle.max_booking_hours", allow_null=True
    )
    buffer_minutes = serializers.IntegerField(source="vehicle.buffer_minutes")
    max_late_extension_hours = serializers.IntegerField(source="vehicle.max_late_extension_hours")
    tariff = TariffOutput(allow_null=True)
    insurance = InsuranceOutput(source="policy", allow_null=True)
    next_roadworthiness_test_on = serializers.DateField(
        source="roadworthiness.expires_on", allow_null=True, default=None
    )
    status = StatusOutput(source="badges", many=True)
    can_manage = serializers.BooleanField()

    @extend_schema_field(NULLABLE_URL)
    def get_photo_url(self, summary: VehicleSummary) -> str | None:
        if not summary.vehicle.photo:
            return None
        return _absolute(self.context, "vehicles:photo", pk=summary.vehicle.pk)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_allowed_driver_ids(self, summary: VehicleSummary) -> list[int]:
        if not summary.vehicle.drivers_restricted:
            return []
        return sorted(driver.pk for driver in summary.vehicle.allowed_drivers.all())


class VehicleManagerOutput(VehicleOutput):
    """A vehicle as its owners and the association's admins see it."""

    registration_holder_id = serializers.IntegerField(
        source="vehicle.registration_holder_id", allow_null=True
    )
    insurance = InsuranceManagerOutput(source="policy", allow_null=True)
    documents = DocumentOutput(source="vehicle.documents.all", many=True)


class VehicleForCaller(VehicleOutput):
    """Schema only: what any member sees, plus the fields that only owners and admins get
    (absent for other members). A oneOf of the two outputs would be ambiguous, since the
    manager's output is a superset of the member's."""

    registration_holder_id = serializers.IntegerField(required=False, allow_null=True)
    insurance = InsuranceForCaller(allow_null=True)
    documents = DocumentOutput(many=True, required=False)


@extend_schema_field(OpenApiTypes.INT)
class AssociationMemberField(serializers.PrimaryKeyRelatedField):
    """A membership id, looked up among the caller's association's active members only."""

    def get_queryset(self) -> QuerySet[Membership]:
        return Membership.objects.filter(
            association=self.context["association"], status=Membership.Status.ACTIVE
        ).select_related("user", "association")


class ShareInput(serializers.Serializer[Any]):
    membership = AssociationMemberField()
    share = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal("100")
    )


class VehicleInput(serializers.ModelSerializer[Vehicle]):
    """Create (all required fields) or update (PATCH, any subset) a vehicle; the ownership
    fields are for admins only."""

    plate = serializers.CharField(max_length=20)
    allowed_drivers = AssociationMemberField(many=True, required=False)
    owner_kind = serializers.ChoiceField(choices=Vehicle.OwnerKind.choices, required=False)
    owners = ShareInput(many=True, required=False)
    registration_holder = AssociationMemberField(required=False, allow_null=True)

    class Meta:
        model = Vehicle
        fields = (
            *[name for name in VEHICLE_FIELDS if name != "photo"],
            "allowed_drivers",
            "owner_kind",
            "owners",
            "registration_holder",
        )

    def validate_plate(self, value: str) -> str:
        try:
            return normalise_plate(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


OWNERSHIP_INPUTS = ("owner_kind", "owners", "registration_holder")


class InsurancePolicyInput(serializers.ModelSerializer[InsurancePolicy]):
    """A new policy (the certificate is uploaded on the page). One that loosens a rule of
    the current policy needs `confirm_loosening: true`, else 409 `rules_loosened`."""

    confirm_loosening = serializers.BooleanField(default=False)

    class Meta:
        model = InsurancePolicy
        fields = (*[name for name in POLICY_FIELDS if name != "certificate"], "confirm_loosening")


def _absolute(context: Mapping[str, Any], name: str, **kwargs: Any) -> str:
    association = context["association"]
    path = reverse(name, kwargs={"slug": association.slug, **kwargs})
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path
