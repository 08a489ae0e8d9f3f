"""The API's one parser: DRF's JSON parser with a depth and a size limit."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.parsers import JSONParser

from core.errors import DomainError

# Deeper than any document of the API (3 levels today) by far, shallow enough for any code.
MAX_JSON_DEPTH = 32


class JsonTooDeep(DomainError):
    code = "json_too_deep"
    http_status = 400


class BodyTooLarge(DomainError):
    code = "body_too_large"
    http_status = 413


class SafeJSONParser(JSONParser):
    """DRF's JSON parser with the two limits it lacks. Python's decoder recurses once per
    level: `[[[…]]]` 100,000 deep exhausts the stack (RecursionError, a 500); a document a
    few hundred levels deep still parses but then drives serializers as deep. And DRF reads
    the stream whole, whatever its size (Django's DATA_UPLOAD_MAX_MEMORY_SIZE guards
    request.body, which DRF does not use)."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise BodyTooLarge(
                _("The request body is larger than %(limit)s bytes.") % {"limit": limit}
            )
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:
            data = None
            too_deep = True
        else:
            too_deep = json_depth(data) > MAX_JSON_DEPTH
        if too_deep:
            raise JsonTooDeep(
                _("The JSON document is nested more than %(depth)s levels deep.")
                % {"depth": MAX_JSON_DEPTH}
            )
        return data


def json_depth(data: Any) -> int:
    """How deep lists and objects nest in `data` (a scalar is 0), without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in children)
    return deepest
