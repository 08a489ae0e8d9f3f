"""Whole pages from the cache: the pages people reload most (the planning, my bookings, my
account, the association's home) are rendered once per state of what they show.

A page's HTML is cached (core.fragments) under everything it shows: the view's own `parts`
(its cached body, the lines it reads each time, which hold the query's values as the view
parsed them), the person, their membership and its association, the language and the path
(not the query string: any value would make a new entry). What differs per
request is left as a placeholder in the cached HTML and filled in on each request: the CSRF
token of every form, and the layout's parts that the project registers
(`register_layout_part`: the header with its unread count and menu, the footer with its
return path), themselves cached under what they show.

A request with messages to show (django.contrib.messages) is rendered as usual. The cached
page is typeset once (core.typography) and marked so that the French typography of the
response does not read it again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from core.fragments import cached_value
from core.typography import french_html

# Stands for the request's CSRF token in cached HTML (the layout's fragments and pages).
CSRF_PLACEHOLDER = "csrf-token-of-the-request"
# Set on a request while its page is rendered for the cache: the layout's parts print their
# placeholder instead of their HTML.
RENDERING_FOR_CACHE = "page_rendering_for_cache"
# Set on a response already typeset (FrenchTypographyMiddleware leaves it as it is).
TYPESET = "typeset"

_layout_parts: dict[str, Callable[[HttpRequest], str]] = {}
_MASKED_ATTRIBUTE = "page_csrf_token"


def register_layout_part(placeholder: str, render_part: Callable[[HttpRequest], str]) -> None:
    """`placeholder` stands in cached pages for what `render_part(request)` gives."""
    _layout_parts[placeholder] = render_part


def csrf_token_of(request: HttpRequest) -> str:
    """One masked token per request, for every form of its page."""
    token: str | None = getattr(request, _MASKED_ATTRIBUTE, None)
    if token is None:
        token = get_token(request)
        setattr(request, _MASKED_ATTRIBUTE, token)
    return token


def cached_page(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any],
    parts: tuple[Hashable, ...],
) -> HttpResponse:
    """`render(request, template_name, context)`, from the cache while `parts` (everything
    of `context` the page shows, as values: rendered HTML, lines, flags) and the request's
    person, membership, language and path are the same."""
    if len(get_messages(request)):  # shown once: this page is not the cached one
        return render(request, template_name, context)
    membership = getattr(request, "membership", None)
    association = getattr(membership, "association", None)
    user = request.user
    language = get_language()
    key = (
        template_name, parts, language, request.path,
        user.pk, getattr(user, "display_name", ""),
        _values(membership, ("pk", "role", "status")),
        _values(association, ("pk", "slug", "name", "time_zone")),
    )  # fmt: skip

    def build() -> str:
        setattr(request, RENDERING_FOR_CACHE, True)
        try:
            html = render_to_string(
                template_name, {**context, "csrf_token": CSRF_PLACEHOLDER}, request
            )
        finally:
            delattr(request, RENDERING_FOR_CACHE)
        return french_html(html) if (language or "").startswith("fr") else html

    html = cached_value("page", key, build)
    for placeholder, render_part in _layout_parts.items():
        html = html.replace(placeholder, render_part(request), 1)
    response = HttpResponse(html.replace(CSRF_PLACEHOLDER, csrf_token_of(request)))
    setattr(response, TYPESET, True)
    return response


def _values(instance: Any, names: tuple[str, ...]) -> tuple[Any, ...] | None:
    if instance is None:
        return None
    return tuple(getattr(instance, name, None) for name in names)
