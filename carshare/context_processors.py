"""Navigation data for the base layout."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from carshare.navigation import ASSOCIATION_MENU
from members.models import Membership
from members.selectors import memberships_of_user
from notifications.selectors import unread_count


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The caller's active associations, the current one and its menu.

    Lazy: pages that never show the navigation (PDF, API, health check) run no query.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current: Membership | None = getattr(request, "membership", None)

    def nav_memberships() -> list[Membership]:
        return [m for m in memberships_of_user(user) if m.status == Membership.Status.ACTIVE]

    def nav_menu() -> list[dict[str, Any]]:
        if current is None:
            return []
        items = []
        for entry in ASSOCIATION_MENU:
            if entry.admin_only and not current.is_admin:
                continue
            try:
                url = reverse(entry.url_name, kwargs={"slug": current.association.slug})
            except NoReverseMatch:  # an app whose pages are not built yet
                continue
            items.append({"label": entry.label, "url": url, "active": request.path.startswith(url)})
        return items

    def nav_unread_notifications() -> int:
        return unread_count(user)

    return {
        "nav_memberships": nav_memberships,
        "nav_unread_notifications": nav_unread_notifications,
        "nav_menu": nav_menu,
        "current_membership": current,
    }
