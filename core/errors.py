"""Domain errors: a stable machine code, a message for people, an HTTP status for the API.

Every refusal of a service is one of these, with ONE stable code per refusal (the list is
in docs/ARCHITECTURE.md, "Services"). Pages put it on their form with
`core.forms.add_domain_error` (on the field it names, else on the form); the API answers it
with `core.api.exception_handler` (`{"code", "detail", …}` and its HTTP status).
"""

from __future__ import annotations

from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The code of a refusal because the object's state no longer allows the action (409).
INVALID_STATUS = "invalid_status"


class DomainError(Exception):
    """A rule of the domain refused the request; nothing was written.

    `code` is a stable identifier that clients rely on; `message` is a sentence in the
    user's language that says what to do; `field` names the input at fault, if one is
    (forms show the message there; the API adds it to the body). Other keyword arguments
    are facts for clients (`gap_km`, `loosened`…), added to the API's answer.
    """

    code = "invalid"
    http_status = 400

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str | None = None,
        http_status: int | None = None,
        field: str | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        if code is not None:
            self.code = code
        if http_status is not None:
            self.http_status = http_status
        if field is not None:
            extra["field"] = field
        self.extra = extra

    @property
    def field(self) -> str | None:
        """The input at fault, or None when the refusal concerns the whole request."""
        field = self.extra.get("field")
        return field if isinstance(field, str) else None

    @property
    def field_errors(self) -> dict[str, list[str]]:
        """Every input at fault with its sentences: `errors` when the refusal lists several
        (a model's validation), else the one `field` with the message."""
        errors = self.extra.get("errors")
        if isinstance(errors, dict):
            return {str(name): [str(m) for m in messages] for name, messages in errors.items()}
        return {self.field: [str(self.message)]} if self.field else {}

    @classmethod
    def from_validation(cls, error: ValidationError) -> DomainError:
        """A validator's or a model's `ValidationError` (full_clean) as the domain's refusal:
        its first message and code, on its first field, with every field's sentences in
        `errors`. Services raise this, never Django's ValidationError."""
        if not hasattr(error, "error_dict"):
            first = error.error_list[0]
            return cls(error.messages[0], code=first.code or cls.code)
        name, items = next(iter(error.error_dict.items()))
        first = items[0]
        field = None if name == "__all__" else name
        errors = {key: value for key, value in error.message_dict.items() if key != "__all__"}
        message = first.messages[0]  # the message with its parameters filled in
        facts: dict[str, Any] = {"errors": errors} if errors else {}
        return cls(message, code=first.code or cls.code, field=field, **facts)


class ConflictError(DomainError):
    code = "conflict"
    http_status = 409


class ForbiddenError(DomainError, PermissionDenied):
    """403: the caller may not do this. Also Django's PermissionDenied, so that an access
    function's refusal and a service's are one kind of 403 (the API and the pages answer it
    with its code and its sentence)."""

    code = "forbidden"
    http_status = 403


class HasStatus(Protocol):
    """A row with a `status` choice (Booking, FuelReceipt, Membership, Deposit…)."""

    status: Any

    def get_status_display(self) -> str: ...


def require_status(row: HasStatus, *allowed: str, message: str | Promise | None = None) -> None:
    """Refuse (409 `invalid_status`) unless the row's status is one of `allowed`: the one
    check of "this is no longer possible" for every app. `message` may say it better."""
    if row.status in allowed:
        return
    raise ConflictError(
        message
        or _("This is %(status)s now: this action is no longer possible.")
        % {"status": row.get_status_display()},
        code=INVALID_STATUS,
    )
