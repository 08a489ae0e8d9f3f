"""The layout's header and footer, rendered once and cached under everything they show.

The header shows who is signed in (name), their active associations (the switcher), the
current one with its menu (the entry of the page marked), the unread notifications; the
footer the language form. Their HTML is cached (core.fragments) under exactly those values,
read on every request (the memberships and the unread count are one query each), so a
change of any of them is never served from the cache. The forms' CSRF token is per request:
the cached HTML holds a placeholder that each request replaces with its own token.
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any

from django import template
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import get_template, render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from carshare.context_processors import active_memberships, menu_of
from core.fragments import cached_value
from core.typography import typeset
from notifications.selectors import unread_count

register = template.Library()

# Stands for the request's CSRF token (and the footer's "next" path) in the cached HTML.
CSRF_PLACEHOLDER = "csrf-token-of-the-request"
NEXT_PLACEHOLDER = "next-path-of-the-request"
_MASKED_ATTRIBUTE = "layout_csrf_token"


@functools.cache
def _templates_digest() -> str:
    """Changes with the header's and footer's templates: a deployment that changes them is
    not served the HTML cached (in Redis) by the one before."""
    names = ("layout/header.html", "layout/footer.html", "notifications/_link.html")
    sources = "".join(get_template(name).template.source for name in names)  # type: ignore[attr-defined]
    return hashlib.blake2b(sources.encode(), digest_size=8).hexdigest()


def _render(name: str, context: dict[str, Any], language: str) -> str:
    html = render_to_string(name, {**context, "csrf_token": CSRF_PLACEHOLDER})
    return typeset(html, language)


@register.simple_tag(takes_context=True)
def site_header(context: template.Context) -> SafeString:
    request: HttpRequest | None = context.get("request")
    language = get_language()
    values = _header_values(request)
    parts = (_templates_digest(), language, repr(values))
    html = cached_value(
        "layout:header", parts, lambda: _render("layout/header.html", values, language)
    )
    return _for_request(html, request)


def _header_values(request: HttpRequest | None) -> dict[str, Any]:
    """Everything the header shows (its cache key)."""
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {"signed_in": False}
    current = getattr(request, "membership", None)
    return {
        "signed_in": True,
        "display_name": user.display_name,
        "unread": unread_count(user),
        "current": (
            {"slug": current.association.slug, "name": current.association.name}
            if current is not None
            else None
        ),
        "memberships": tuple(
            {
                "slug": m.association.slug,
                "name": m.association.name,
                "current": current is not None and m.pk == current.pk,
            }
            for m in active_memberships(request)
        ),
        "menu": tuple(menu_of(request, current)),
    }


@register.simple_tag(takes_context=True)
def site_footer(context: template.Context) -> SafeString:
    request: HttpRequest | None = context.get("request")
    language = get_language()
    values = {"next": NEXT_PLACEHOLDER, "LANGUAGE_CODE": language}
    html = cached_value(
        "layout:footer",
        (_templates_digest(), language),
        lambda: _render("layout/footer.html", values, language),
    )
    return _for_request(html, request)


def _for_request(html: str, request: HttpRequest | None) -> SafeString:
    """The cached HTML with the request's CSRF token and path (none without a request: an
    error page rendered by Django itself)."""
    token = ""
    if request is not None:  # one masked token for the header's and the footer's forms
        token = getattr(request, _MASKED_ATTRIBUTE, None) or get_token(request)
        setattr(request, _MASKED_ATTRIBUTE, token)
    path = escape(request.get_full_path()) if request is not None else "/"
    html = html.replace(CSRF_PLACEHOLDER, token).replace(NEXT_PLACEHOLDER, path)
    return mark_safe(html)  # noqa: S308 - our own template, escaped there
