"""Domain errors: a stable machine code, a message for people, an HTTP status for the API."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule of the domain refused the request; nothing was written.

    `code` is a stable identifier that clients rely on; `message` is a sentence in the
    user's language that says what to do.
    """

    code = "invalid"
    http_status = 400

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str | None = None,
        http_status: int | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        if code is not None:
            self.code = code
        if http_status is not None:
            self.http_status = http_status
        self.extra = extra


class ConflictError(DomainError):
    code = "conflict"
    http_status = 409


class ForbiddenError(DomainError):
    code = "forbidden"
    http_status = 403
