"""The one way an association-scoped API view resolves its caller (members.api_access)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate

from members.api_access import AssociationAPIView
from members.models import Membership
from tests.factories.members import MembershipFactory

NOON_UTC = dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC)


class EchoView(AssociationAPIView):
    """What the view sees: the resolved caller and the zone of the request."""

    def get(self, request: Request, slug: str) -> Response:
        return Response(
            {
                "membership": self.membership.pk,
                "association": self.association.slug,
                "zone": timezone.get_current_timezone_name(),
                "noon_utc_here": timezone.localtime(NOON_UTC).isoformat(),
            }
        )


def _get(user, slug: str) -> Response:
    request = APIRequestFactory().get(f"/api/v1/associations/{slug}/echo/")
    if user is not None:
        force_authenticate(request, user=user)
    response: Response = EchoView.as_view()(request, slug=slug)
    return response


@pytest.fixture
def overseas(association):
    association.time_zone = "America/Cayenne"  # UTC-3 all year (French Guiana)
    association.save(update_fields=["time_zone"])
    return association


def test_a_member_is_resolved_and_the_association_zone_is_active(member, overseas):
    response = _get(member.user, overseas.slug)
    assert response.status_code == 200
    assert response.data == {
        "membership": member.pk,
        "association": overseas.slug,
        "zone": "America/Cayenne",
        "noon_utc_here": "2026-07-01T09:00:00-03:00",
    }


def test_the_zone_does_not_outlive_the_request(member, overseas):
    _get(member.user, overseas.slug)
    assert timezone.get_current_timezone_name() == timezone.get_default_timezone_name()


def test_a_member_of_another_association_gets_404(outsider, association):
    assert _get(outsider.user, association.slug).status_code == 404


def test_an_unknown_association_gets_404(member):
    assert _get(member.user, "nowhere").status_code == 404


@pytest.mark.parametrize(
    "status", [Membership.Status.PENDING, Membership.Status.SUSPENDED, Membership.Status.LEFT]
)
def test_a_membership_that_is_not_active_gets_404(association, status):
    former = MembershipFactory(association=association, status=status)
    assert _get(former.user, association.slug).status_code == 404


def test_an_anonymous_caller_gets_401_before_any_lookup(association):
    assert _get(None, association.slug).status_code == 401
