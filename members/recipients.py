"""Who hears of what: the people the scans of every app write to, loaded a batch at a time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from members.models import Membership, User


def admins_by_association(association_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active admins (users) of each association (one query)."""
    admins: dict[int, list[User]] = defaultdict(list)
    rows = (
        Membership.objects.filter(
            association_id__in=set(association_ids),
            role=Membership.Role.ADMIN,
            status=Membership.Status.ACTIVE,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("pk")
    )
    for membership in rows:
        admins[membership.association_id].append(membership.user)
    return admins


def active_memberships_by_user(user_ids: Iterable[int]) -> dict[int, list[Membership]]:
    """Each person's active memberships with their associations, oldest first (one query)."""
    memberships: dict[int, list[Membership]] = defaultdict(list)
    rows = (
        Membership.objects.filter(user_id__in=set(user_ids), status=Membership.Status.ACTIVE)
        .select_related("association")
        .order_by("pk")
    )
    for membership in rows:
        memberships[membership.user_id].append(membership)
    return memberships
