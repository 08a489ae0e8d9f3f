"""API helpers shared by every app: the exception handler and stable error bodies."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from core.clientip import client_ip
from core.errors import DomainError
from core.pdf import RenderBusy


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus domain errors and Django validation errors as clean 4xx answers."""
    if isinstance(exc, RenderBusy):
        busy = Response({"code": exc.code, "detail": exc.message}, status=429)
        busy["Retry-After"] = str(exc.retry_after)
        return busy
    if isinstance(exc, DomainError):
        # A refusal listing its inputs (`errors`: a model's validation, the fleet's field
        # checks) also answers as DRF's field errors (`{"plate": [...]}`), as it always did.
        body: dict[str, Any] = dict(exc.field_errors) if "errors" in exc.extra else {}
        body.update({"code": exc.code, "detail": str(exc.message)})
        body.update(exc.extra)
        return Response(body, status=exc.http_status)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)


class ClientAddressThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, counting by core.clientip (DRF's own trusts X-Forwarded-For)."""

    def get_ident(self, request: Request) -> str:
        return client_ip(request._request)
