"""Reads of members and associations."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from members.models import Membership


def memberships_of_user(user: Any) -> QuerySet[Membership]:
    """The person's memberships that are active or pending, for navigation and home."""
    return (
        Membership.objects.filter(
            user=user, status__in=[Membership.Status.ACTIVE, Membership.Status.PENDING]
        )
        .select_related("association")
        .order_by("association__name")
    )
