"""Navigation data for the base layout."""

from __future__ import annotations

import functools
from typing import Any, cast

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language

from carshare.navigation import ASSOCIATION_MENU
from members.access import active_memberships_of
from members.models import Membership, User


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The current membership (the page's title names its association) and the code the
    service worker keeps offline pages under; the header and the footer are the
    `site_header` and `site_footer` tags (carshare.templatetags.layout)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"offline_user": ""}
    return {
        "current_membership": getattr(request, "membership", None),
        "offline_user": offline_user_code(user),
    }


def active_memberships(request: HttpRequest) -> list[Membership]:
    """The caller's active memberships (the header's association switcher): those that
    members.access resolved for an association page, else those read with the person."""
    resolved = getattr(request, "active_memberships", None)
    if resolved is not None:
        return list(resolved)
    return active_memberships_of(cast(User, request.user))


def menu_of(request: HttpRequest, current: Membership | None) -> list[dict[str, Any]]:
    """The menu of the current association, the entry of the page marked active."""
    if current is None:
        return []
    entries = _menu(current.association.slug, current.is_admin, get_language())
    return [
        {"label": label, "url": url, "active": request.path.startswith(url)}
        for label, url in entries
    ]


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
