"""The authentication backends of the settings: Django's and allauth's, with one change.

`get_user` runs on every signed-in request. Here it is one query, compiled once per process
(core.prepared), that reads the person, their active memberships with their associations
(members.access and the header's switcher need them on every page) and their unread
notifications (the header's badge): one database round trip instead of three. The two
prefetched values hang on this request's user object (`members.access.PREFETCHED_ACTIVE`,
`notifications.selectors.PREFETCHED_UNREAD`); the services that change them during the
request forget them.
"""

from __future__ import annotations

from typing import Any

from allauth.account import auth_backends
from django.contrib.auth import backends
from django.db.models import Count, FilteredRelation, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from core.prepared import PreparedQuery, field_names, instance
from members.access import PREFETCHED_ACTIVE, membership_fields, membership_from_row
from members.models import Membership, User
from notifications.selectors import PREFETCHED_UNREAD, unread_notifications


def _person(pk: int) -> Any:
    unread = (
        unread_notifications(OuterRef("pk"))
        .values("recipient_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    active = Q(memberships__status=Membership.Status.ACTIVE)
    return (
        User.objects.filter(pk=pk)
        .annotate(
            active=FilteredRelation("memberships", condition=active),
            unread=Coalesce(Subquery(unread), 0),
        )
        .order_by("active__association__name", "active__pk")
        .values_list(*field_names(User), "unread", *membership_fields("active__"))
    )


_PERSON = PreparedQuery(_person, pk=int)
_USER_FIELDS = len(field_names(User))


def load_person(user_id: Any) -> User | None:
    """The person with their active memberships and unread count prefetched, or None."""
    rows = _PERSON.rows(pk=User._meta.pk.to_python(user_id))
    if not rows:
        return None
    user = instance(User, rows[0][:_USER_FIELDS])
    setattr(user, PREFETCHED_UNREAD, int(rows[0][_USER_FIELDS]))
    memberships = []
    start = _USER_FIELDS + 1
    for row in rows:
        if row[start] is None:  # no active membership: one row, the membership's columns empty
            continue
        memberships.append(membership_from_row(row[start:]))
    setattr(user, PREFETCHED_ACTIVE, memberships)
    return user


class PersonLoader:
    """`get_user` as ModelBackend's (None for an unknown or inactive person), in one query."""

    def get_user(self, user_id: Any) -> User | None:
        user = load_person(user_id)
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None  # type: ignore[attr-defined]


class ModelBackend(PersonLoader, backends.ModelBackend):
    pass


class AuthenticationBackend(PersonLoader, auth_backends.AuthenticationBackend):
    pass
