"""One lockout per account, whatever the path (django-axes).

The log-in page (allauth), the API token endpoint and the Django admin all call
`django.contrib.auth.authenticate`, whose failures axes counts per account (the e-mail
address, lower-cased); axes' backend, first in AUTHENTICATION_BACKENDS, refuses every
password while the account is locked out. Log-ins that need no password (the e-mail
confirmation link) are refused by the account adapter through `is_locked_out`.
"""

from __future__ import annotations

import math
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.utils import reset
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

LOCKED_OUT = "locked_out"


def account_key(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """The account a log-in attempt is for: the e-mail address, whatever the form calls it
    (allauth `email` or `login`, the admin's `username`, the API's `email`)."""
    sources = [credentials or {}]
    if request is not None:
        sources.append(getattr(request, "POST", {}))
    for source in sources:
        for name in ("email", "login", "username"):
            value = source.get(name)
            if isinstance(value, str) and value.strip():
                return value.strip().lower()
    return None


def is_locked_out(request: HttpRequest, email: str) -> bool:
    return bool(AxesProxyHandler.is_locked(request, {"email": email}))


def forget_failures(email: str) -> None:
    """Drop the failures counted against `email` (its password was just replaced)."""
    reset(username=email.strip().lower())


def lockout_minutes(request: HttpRequest | None = None) -> int:
    cool_off = get_cool_off(request)
    return math.ceil(cool_off.total_seconds() / 60) if cool_off else 0


def lockout_message(request: HttpRequest | None = None) -> str:
    return _(
        "Too many failed log-in attempts for this account. Try again in %(minutes)s "
        "minutes, or reset your password."
    ) % {"minutes": lockout_minutes(request)}


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """429 with Retry-After: JSON `{"code": "locked_out"}` under /api/, else a page."""
    message = lockout_message(request)
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": LOCKED_OUT, "detail": message}, status=429)
    else:
        reset = {"url": reverse("account_reset_password"), "label": _("Reset your password")}
        context = {"message": message, "link": reset}
        response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(lockout_minutes(request) * 60)
    return response
