"""The home page, the health check and the error pages that also serve the API."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from rest_framework import exceptions

from core.errors import DomainError
from core.parsers import BodyTooLarge
from members.selectors import memberships_of_user


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Signed in: the person's associations; otherwise what the platform is and how to join."""
    memberships = memberships_of_user(request.user) if request.user.is_authenticated else []
    return render(request, "home.html", {"memberships": memberships})


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 `ok` after one database round trip: no session, no template, no ORM."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: JSON under /api/ (a path the URL map refuses, e.g. an invalid slug), else the page."""
    if _is_api(request):
        return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400, and 413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE (Django refuses it before any
    view runs): JSON under /api/, else the page."""
    too_large = isinstance(exception, RequestDataTooBig)
    status = 413 if too_large else 400
    if _is_api(request):
        if too_large:
            error: DomainError = BodyTooLarge(_("The request body is too large."))
        else:
            error = DomainError(_("The request could not be read."), code="bad_request")
        body = {"code": error.code, "detail": str(error.message)}
        return JsonResponse(body, status=status)
    response = defaults.bad_request(request, exception)
    response.status_code = status
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """500: JSON under /api/, else the page (a bug: the fuzzer and the tests look for none)."""
    if _is_api(request):
        return JsonResponse({"detail": str(exceptions.APIException.default_detail)}, status=500)
    return defaults.server_error(request)
