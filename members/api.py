"""API of the members app: my associations, an association's members, my driver profile."""

from __future__ import annotations

from typing import Any, cast

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.timeutils import local_today
from members.api_access import AssociationAPIView
from members.drivers import probation_end
from members.models import DriverProfile, Membership, User
from members.privacy import driver_data_visible
from members.selectors import (
    MemberFilters,
    active_members,
    active_memberships_of_user,
    driver_profile_of,
    driver_status,
    member_list,
)
from members.services.founding import FoundingData, found_association
from members.services.profiles import DRIVER_FIELDS, DriverData, update_driver_profile
from members.validators import validate_postcode


class AssociationOutput(serializers.Serializer[Any]):
    slug = serializers.CharField(source="association.slug")
    name = serializers.CharField(source="association.name")
    commune = serializers.CharField(source="association.commune")
    postcode = serializers.CharField(source="association.postcode")
    address = serializers.CharField(source="association.address")
    time_zone = serializers.CharField(source="association.time_zone")
    contact_email = serializers.EmailField(source="association.contact_email")
    approval_required_default = serializers.BooleanField(
        source="association.approval_required_default"
    )
    membership_fee = serializers.DecimalField(
        source="association.membership_fee", max_digits=8, decimal_places=2
    )
    fee_period = serializers.CharField(source="association.fee_period")
    deposit_rule = serializers.CharField(source="association.deposit_rule")
    deposit_amount = serializers.DecimalField(
        source="association.deposit_amount", max_digits=8, decimal_places=2
    )
    agreement_required = serializers.BooleanField(source="association.agreement_required")
    my_role = serializers.CharField(source="role")


class FoundingInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    commune = serializers.CharField(max_length=200)
    postcode = serializers.CharField(max_length=5, validators=[validate_postcode])
    address = serializers.CharField(max_length=1000)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    slug = serializers.CharField(max_length=60, required=False, allow_blank=True)


class AssociationListView(APIView):
    """GET: the associations the caller is an active member of, with their settings.
    POST: found an association (verified e-mail address; rate-limited per person); the
    caller becomes its administrator."""

    @extend_schema(responses={200: AssociationOutput(many=True)})
    def get(self, request: Request) -> Response:
        memberships = active_memberships_of_user(request.user)
        return Response(AssociationOutput(memberships, many=True).data)

    @extend_schema(request=FoundingInput, responses={201: AssociationOutput})
    def post(self, request: Request) -> Response:
        data = FoundingInput(data=request.data)
        data.is_valid(raise_exception=True)
        founder = cast(User, request.user)
        association = found_association(founder=founder, data=FoundingData(**data.validated_data))
        membership = Membership.objects.select_related("association").get(
            association=association, user=founder
        )
        return Response(AssociationOutput(membership).data, status=status.HTTP_201_CREATED)


class DriverProfileOutput(serializers.Serializer[Any]):
    birth_date = serializers.DateField(allow_null=True)
    birth_place = serializers.CharField()
    licence_number = serializers.CharField()
    licence_issued_on = serializers.DateField(allow_null=True)
    licence_issued_by = serializers.CharField()
    licence_expires_on = serializers.DateField(allow_null=True)
    accompanied_driving = serializers.BooleanField()
    post_licence_training = serializers.BooleanField()
    probation_end = serializers.DateField(allow_null=True)
    is_young = serializers.BooleanField(allow_null=True)
    has_licence_scan = serializers.BooleanField()


class MemberNameOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    first_name = serializers.CharField(source="user.first_name")
    last_name = serializers.CharField(source="user.last_name")


class MemberFullOutput(MemberNameOutput):
    email = serializers.EmailField(source="user.email")
    phone = serializers.CharField(source="user.phone")
    role = serializers.CharField()
    status = serializers.CharField()
    joined_on = serializers.DateField(allow_null=True)
    left_on = serializers.DateField(allow_null=True)
    fee_paid_until = serializers.DateField(allow_null=True)
    household = serializers.IntegerField(source="household_id", allow_null=True)
    driver_profile = serializers.SerializerMethodField()

    @extend_schema_field(DriverProfileOutput(allow_null=True))
    def get_driver_profile(self, membership: Membership) -> dict[str, Any] | None:
        """Null unless the membership is pending or active (members.privacy)."""
        if not driver_data_visible(membership):
            return None
        profile: DriverProfile | None = getattr(membership.user, "driver_profile", None)
        return driver_payload(profile) if profile is not None else None


def driver_payload(profile: DriverProfile) -> dict[str, Any]:
    status = driver_status(profile, timezone.localdate())
    return {
        "birth_date": profile.birth_date,
        "birth_place": profile.birth_place,
        "licence_number": profile.licence_number,
        "licence_issued_by": profile.licence_issued_by,
        "licence_issued_on": profile.licence_issued_on,
        "licence_expires_on": profile.licence_expires_on,
        "accompanied_driving": profile.accompanied_driving,
        "post_licence_training": profile.post_licence_training,
        "probation_end": _probation_end(profile),
        "is_young": status.is_young if status else None,
        "has_licence_scan": bool(profile.licence_scan),
    }


def _probation_end(profile: DriverProfile) -> Any:
    if profile.licence_issued_on is None:
        return None
    return probation_end(
        licence_issued_on=profile.licence_issued_on,
        accompanied_driving=profile.accompanied_driving,
        post_licence_training=profile.post_licence_training,
    )


class AssociationMember(MemberNameOutput):
    """Schema only: the names every member sees, plus what only admins get (absent for
    members). A oneOf of the two outputs would be ambiguous: the full one is a superset."""

    email = serializers.EmailField(required=False)
    phone = serializers.CharField(required=False)
    role = serializers.CharField(required=False)
    status = serializers.CharField(required=False)
    joined_on = serializers.DateField(required=False, allow_null=True)
    left_on = serializers.DateField(required=False, allow_null=True)
    fee_paid_until = serializers.DateField(required=False, allow_null=True)
    household = serializers.IntegerField(required=False, allow_null=True)
    driver_profile = DriverProfileOutput(required=False, allow_null=True)


class AssociationMembersView(AssociationAPIView):
    """Admins: every membership with contact and driver data; members: active members' names."""

    @extend_schema(responses={200: AssociationMember(many=True)})
    def get(self, request: Request, slug: str) -> Response:
        association = self.association
        if self.membership.is_admin:
            today = local_today(association.tz)
            members = member_list(association, MemberFilters(status="all"), today=today)
            return Response(MemberFullOutput(members, many=True).data)
        return Response(MemberNameOutput(active_members(association), many=True).data)


class DriverProfileInput(serializers.Serializer[Any]):
    birth_date = serializers.DateField(allow_null=True, required=False)
    birth_place = serializers.CharField(max_length=120, allow_blank=True, required=False)
    licence_number = serializers.CharField(max_length=40, allow_blank=True, required=False)
    licence_issued_on = serializers.DateField(allow_null=True, required=False)
    licence_issued_by = serializers.CharField(max_length=120, allow_blank=True, required=False)
    licence_expires_on = serializers.DateField(allow_null=True, required=False)
    accompanied_driving = serializers.BooleanField(required=False)
    post_licence_training = serializers.BooleanField(required=False)


EMPTY_DRIVER_DATA = DriverData(
    birth_date=None,
    birth_place="",
    licence_number="",
    licence_issued_on=None,
    licence_issued_by="",
    licence_expires_on=None,
    accompanied_driving=False,
    post_licence_training=False,
)


class MyDriverProfileView(APIView):
    """The caller's driver profile (licence data), read and partially updated."""

    @extend_schema(responses={200: DriverProfileOutput})
    def get(self, request: Request) -> Response:
        profile = driver_profile_of(request.user) or DriverProfile(user=cast(User, request.user))
        return Response(DriverProfileOutput(driver_payload(profile)).data)

    @extend_schema(request=DriverProfileInput, responses={200: DriverProfileOutput})
    def patch(self, request: Request) -> Response:
        data = DriverProfileInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user = cast(User, request.user)
        current = driver_profile_of(user)
        base = {
            name: getattr(current, name) if current else getattr(EMPTY_DRIVER_DATA, name)
            for name in DRIVER_FIELDS
        }
        profile = update_driver_profile(
            user=user, data=DriverData(**{**base, **data.validated_data})
        )
        return Response(DriverProfileOutput(driver_payload(profile)).data)
