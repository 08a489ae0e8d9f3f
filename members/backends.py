"""The authentication backends of the settings: Django's and allauth's, with the person
read on every signed-in request by a query compiled once per process (core.prepared)."""

from __future__ import annotations

from typing import Any

from allauth.account import auth_backends
from django.contrib.auth import backends

from core.prepared import PreparedQuery, field_names, instance
from members.models import User

_USER = PreparedQuery(lambda pk: User.objects.filter(pk=pk).values_list(*field_names(User)), pk=int)


class FastUserMixin:
    """`get_user` as ModelBackend's (None for an unknown or inactive person), compiled once."""

    def get_user(self, user_id: Any) -> User | None:
        rows = _USER.rows(pk=User._meta.pk.to_python(user_id))
        if not rows:
            return None
        user = instance(User, rows[0])
        return user if self.user_can_authenticate(user) else None  # type: ignore[attr-defined]


class ModelBackend(FastUserMixin, backends.ModelBackend):
    pass


class AuthenticationBackend(FastUserMixin, auth_backends.AuthenticationBackend):
    pass
