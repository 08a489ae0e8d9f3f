"""Response headers that every page gets, and the answer to a refused render."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation

from core.errors import DomainError
from core.pages import TYPESET
from core.pdf import RenderBusy, owner_of_user, renders_by
from core.typography import french_html

logger = logging.getLogger(__name__)

# Everything comes from this site: no CDN, no remote font or script; the service worker
# (/sw.js) and the web manifest too. Inline SVG charts
# use presentation attributes, which CSP does not restrict. The API docs page (Swagger UI)
# needs an inline bootstrap script, so it gets its own relaxed policy.
DEFAULT_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)
API_DOCS_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; object-src 'none'"
)


# Powerful browser features no page uses, denied to the site and to anything it could embed.
# Check-in photos are chosen with <input type="file">, which needs no camera permission (no
# page uses `capture`; tests/security/test_deployment.py fails when one starts to).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class ContentSecurityPolicyMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            policy = API_DOCS_POLICY if request.path.startswith("/api/docs") else DEFAULT_POLICY
            response["Content-Security-Policy"] = policy
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class RenderLimitMiddleware:
    """Counts the renders of each request as its user's (core.pdf's per-person caps) and
    answers a refused render (RenderBusy, wherever it rose) with 429 and Retry-After: a
    French page, or JSON under /api/ (DRF views answer through core.api.exception_handler).
    Views let RenderBusy through: it is not a DomainError."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with renders_by(lambda: owner_of_user(request.user)):
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, RenderBusy):
            return None
        response: HttpResponse
        if request.path.startswith("/api/"):
            body = {"code": exception.code, "detail": exception.message}
            response = JsonResponse(body, status=429)
        else:
            response = render(request, "429.html", {"message": exception.message}, status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response


class DomainErrorMiddleware:
    """A domain error that a page did not turn into a form error or a message answers with
    its own status (403, 404, 409, 400…) and its sentence, never a 500. Views still handle
    the errors they expect; this is the net under the ones they do not (the API has its own
    handler, core.api.exception_handler)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        logger.info("domain error on %s: %s", request.path, exception.code)
        context = {"message": exception.message, "status": exception.http_status}
        return render(request, "domain_error.html", context, status=exception.http_status)


class FrenchTypographyMiddleware:
    """French pages get French typography (core.typography.french_html): "d'Autopartage",
    "1er novembre", no-break spaces before ":" and "€". Catalogues and templates keep
    plain spaces; only complete HTML answers in French are changed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not _is_french_html(response):
            return response
        charset = response.charset or "utf-8"
        response.content = french_html(response.content.decode(charset)).encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response


def _is_french_html(response: HttpResponse) -> bool:
    if getattr(response, "streaming", False) or getattr(response, TYPESET, False):
        return False  # a page from core.pages was typeset once, when it was cached
    if not response.content:
        return False
    content_type = response.get("Content-Type", "")
    language = translation.get_language() or ""
    return content_type.startswith("text/html") and language.startswith("fr")
