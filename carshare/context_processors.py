"""Navigation data for the base layout."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language

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
        return {"offline_user": ""}
    current: Membership | None = getattr(request, "membership", None)

    def nav_memberships() -> list[Membership]:
        resolved = getattr(request, "active_memberships", None)  # members.access resolved them
        if resolved is not None:
            return list(resolved)
        return [m for m in memberships_of_user(user) if m.status == Membership.Status.ACTIVE]

    def nav_menu() -> list[dict[str, Any]]:
        if current is None:
            return []
        entries = _menu(current.association.slug, current.is_admin, get_language())
        return [
            {"label": label, "url": url, "active": request.path.startswith(url)}
            for label, url in entries
        ]

    def nav_unread_notifications() -> int:
        return unread_count(user)

    return {
        "nav_memberships": nav_memberships,
        "nav_unread_notifications": nav_unread_notifications,
        "nav_menu": nav_menu,
        "current_membership": current,
        "offline_user": offline_user_code(user),
    }


def offline_user_code(user: Any) -> str:
    """An opaque code per person: the service worker keeps offline pages under it and drops
    them when another person (or nobody) is signed in."""
    return salted_hmac("carshare.pwa.offline-user", str(user.pk)).hexdigest()[:20]


@functools.lru_cache(maxsize=1024)
def _menu(slug: str, admin: bool, language: str | None) -> tuple[tuple[str, str], ...]:
    """The menu's labels and URLs of one association, reversed once per process."""
    entries = []
    for entry in ASSOCIATION_MENU:
        if entry.admin_only and not admin:
            continue
        try:
            url = reverse(entry.url_name, kwargs={"slug": slug})
        except NoReverseMatch:  # an app whose pages are not built yet
            continue
        entries.append((str(entry.label), url))
    return tuple(entries)
