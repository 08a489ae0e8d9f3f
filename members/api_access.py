"""The one way an API view resolves its caller under /api/v1/associations/{slug}/….

Every association-scoped API view derives from `AssociationAPIView` (alone, or before a DRF
generic view: `class V(AssociationAPIView, ListAPIView[Agreement])`). Once DRF has
authenticated the caller (401 without credentials), `initial()` resolves the caller's active
membership of the association in the URL, or answers 404 (its existence is not revealed),
and activates the association's time zone for the request: dates and times in and out are
the association's, as on its pages. Views read `self.membership` and `self.association`.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from members.access import get_membership_for_user
from members.models import Association, Membership


class AssociationAPIView(APIView):
    """Base of the association-scoped API views (see the module's doc)."""

    membership: Membership
    association: Association

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttles
        self.membership = get_membership_for_user(request.user, kwargs["slug"])
        self.association = self.membership.association
        timezone.activate(self.association.tz)

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        # The body is serialized by now: the next request of this thread starts afresh.
        timezone.deactivate()
        return super().finalize_response(request, response, *args, **kwargs)
