"""The layout's header and footer, rendered once and cached under everything they show.

The header shows who is signed in (name), their active associations (the switcher), the
current one with its menu (the entry of the page marked), the unread notifications; the
footer the language form. Their HTML is cached (core.fragments) under exactly those values,
read with the signed-in person (carshare.auth), so a change of any of them is never served
from the cache. The forms' CSRF token and the footer's return path are per request: the
cached HTML holds placeholders that each request fills in. In a page rendered for the page
cache (core.pages) the tags print their own placeholder, filled in on each request by
`header_html` and `footer_html` (registered in carshare.apps).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django import template
from django.http import HttpRequest
from django.template.loader import get_template, render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from carshare.context_processors import active_memberships, menu_of
from core.fragments import cached_value
from core.pages import CSRF_PLACEHOLDER, RENDERING_FOR_CACHE, csrf_token_of
from core.typography import typeset
from notifications.selectors import unread_count

register = template.Library()

# Stand for the header and the footer in a page cached whole (core.pages).
HEADER_PLACEHOLDER = "<!--layout:header-->"
FOOTER_PLACEHOLDER = "<!--layout:footer-->"
# Stands for the request's path in the footer's cached HTML.
NEXT_PLACEHOLDER = "next-path-of-the-request"


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
    return _part(context, HEADER_PLACEHOLDER, header_html)


@register.simple_tag(takes_context=True)
def site_footer(context: template.Context) -> SafeString:
    return _part(context, FOOTER_PLACEHOLDER, footer_html)


def _part(
    context: template.Context,
    placeholder: str,
    render_part: Callable[[HttpRequest | None], str],
) -> SafeString:
    """The part for this request, or its placeholder in a page rendered for the page cache
    (core.pages fills it in on each request)."""
    request: HttpRequest | None = context.get("request")
    if request is not None and getattr(request, RENDERING_FOR_CACHE, False):
        return mark_safe(placeholder)  # noqa: S308 - a comment of ours
    return mark_safe(render_part(request))  # noqa: S308 - our own template, escaped there


def header_html(request: HttpRequest | None) -> str:
    """The header for this request: cached under what it shows, with its CSRF token."""
    language = get_language()
    values = _header_values(request)
    parts = (_templates_digest(), language, repr(values))
    html = cached_value(
        "layout:header", parts, lambda: _render("layout/header.html", values, language)
    )
    return _for_request(html, request)


def footer_html(request: HttpRequest | None) -> str:
    """The footer (the language form) for this request: its CSRF token and return path."""
    language = get_language()
    values = {"next": NEXT_PLACEHOLDER, "LANGUAGE_CODE": language}
    html = cached_value(
        "layout:footer",
        (_templates_digest(), language),
        lambda: _render("layout/footer.html", values, language),
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


def _for_request(html: str, request: HttpRequest | None) -> str:
    """The cached HTML with the request's CSRF token and path (none without a request: an
    error page rendered by Django itself)."""
    token = csrf_token_of(request) if request is not None else ""
    path = escape(request.get_full_path()) if request is not None else "/"
    return html.replace(CSRF_PLACEHOLDER, token).replace(NEXT_PLACEHOLDER, path)
