"""API base: tokens (log-in, log-out) and the caller's identity."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, cast

from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ClientAddressThrottle
from core.errors import DomainError
from core.iban import mask_iban
from members.models import User
from members.selectors import memberships_of_user
from members.services import banking, profiles
from members.services.api_tokens import issue_api_token, revoke_api_token
from members.services.profiles import PostalAddress


class TokenInput(serializers.Serializer[Any]):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class TokenOutput(serializers.Serializer[Any]):
    token = serializers.CharField()


class ObtainTokenView(APIView):
    """Exchange an e-mail address and a password for an API token. Rate-limited per client
    address; failures count towards the account's lockout, shared with the log-in page and
    the Django admin; refused (403 `email_unverified`) until the address is confirmed."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ClientAddressThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenInput, responses={200: TokenOutput})
    def post(self, request: Request) -> Response:
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            email=data.validated_data["email"].lower(),
            password=data.validated_data["password"],
        )
        if user is None or not user.is_active:
            # A locked-out account lands here too; axes' middleware answers 429 instead.
            return Response(
                {"non_field_errors": [_("Wrong e-mail address or password.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token = issue_api_token(user=user)
        # As a log-in on the site: resets the account's failure count, sets last_login.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response(TokenOutput({"token": token}).data)


class LogoutView(APIView):
    """Revoke the token that authenticates this request (the caller's other tokens stay)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        if not isinstance(request.auth, AuthToken):  # a browser session: log out on the site
            raise DomainError(
                _("Only a call authenticated by a token can revoke it."), code="no_token"
            )
        revoke_api_token(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MembershipOutput(serializers.Serializer[Any]):
    association = serializers.CharField(source="association.slug")
    association_name = serializers.CharField(source="association.name")
    role = serializers.CharField()
    status = serializers.CharField()


class AddressField(serializers.Serializer[Any]):
    """A postal address: the three parts together, or all empty (none recorded)."""

    street = serializers.CharField(max_length=200, allow_blank=True)
    postcode = serializers.CharField(max_length=5, allow_blank=True)
    town = serializers.CharField(max_length=100, allow_blank=True)


class MeOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    phone = serializers.CharField()
    language = serializers.CharField()
    address = AddressField()
    iban = serializers.CharField(help_text="The IBAN recorded, masked; empty when none.")
    memberships = MembershipOutput(many=True)


class MeInput(serializers.Serializer[Any]):
    first_name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    last_name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    phone = serializers.CharField(max_length=30, allow_blank=True, required=False)
    language = serializers.ChoiceField(choices=User.Language.choices, required=False)
    address = AddressField(required=False)
    iban = serializers.CharField(
        max_length=50,
        allow_blank=True,
        required=False,
        help_text="A new IBAN (checked, SEPA zone); empty removes it. Read back masked.",
    )


class MeView(APIView):
    """The caller, their postal address, their IBAN (masked) and their memberships; PATCH
    changes the name, phone, language, address (the whole address at once: street, postcode
    and town) or IBAN ("" removes it); a refused field changes nothing."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeOutput})
    def get(self, request: Request) -> Response:
        return Response(_me(cast(User, request.user)))

    @extend_schema(request=MeInput, responses={200: MeOutput})
    def patch(self, request: Request) -> Response:
        data = MeInput(data=request.data)
        data.is_valid(raise_exception=True)
        user, changes = cast(User, request.user), dict(data.validated_data)
        address = changes.pop("address", None)
        iban = changes.pop("iban", None)
        checked = profiles.check_address(PostalAddress(**address)) if address else None
        if iban:
            banking.checked_iban(iban)  # refused before any change
        if changes:
            current = {name: getattr(user, name) for name in profiles.PROFILE_FIELDS}
            user = profiles.update_profile(user=user, **{**current, **changes})
        if checked is not None:
            user = profiles.update_postal_address(user=user, address=checked)
        if iban is not None:
            user = banking.update_own_iban(user=user, iban=iban)
        return Response(_me(user))


def _me(user: User) -> Any:
    payload = {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "language": user.language,
        "address": asdict(PostalAddress.of(user)),
        "iban": mask_iban(user.iban),
        "memberships": list(memberships_of_user(user)),
    }
    return MeOutput(payload).data
