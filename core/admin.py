"""Django admin helpers shared by the apps (the admin is for platform operators)."""

from __future__ import annotations

from django.db.models import Model
from django.http import HttpRequest


class ReadOnlyInlineMixin:
    """An inline that shows rows and never writes them: their writes go through a service
    that holds a rule (consent, insurance rules), which the admin's forms would bypass."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
