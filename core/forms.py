"""Domain errors on pages: the one way a view shows a service's refusal.

- `add_domain_error(form, error, default_field=None)`: on the field the error names when
  the form shows that field, else on `default_field` (a page whose one input is at fault
  whatever the refusal: a template's source), else at the top of the form; never dropped.
- `domain_errors_on(form)`: a block whose refusal goes on the form (the form is then
  invalid, so the view renders it again with status 400).
- `attempt(request, action, success)`: a button without a form (approve, cancel…): the
  refusal, or `success`, becomes a message on the next page.
- `run_service(request, form, action, success)`: a form's service call, or a button's when
  `form` is None: the refusal on the form (or as a message), `success` as a message.

`success` is a sentence, or a function writing it once the service ran (a count of what
it did), or "" for no message.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from core.errors import DomainError

Success = str | Callable[[], str]


def add_domain_error(
    form: forms.BaseForm, error: DomainError, default_field: str | None = None
) -> None:
    """Show a refusal on the field(s) at fault, else on `default_field`, else at the top."""
    shown = error.field_errors or {default_field or "": [str(error.message)]}
    for field, sentences in shown.items():
        form.add_error(field if field in form.fields else None, sentences)


def message_domain_error(request: HttpRequest, error: DomainError) -> None:
    """Show a refusal as an error message (pages whose action has no form)."""
    messages.error(request, str(error.message))


@contextlib.contextmanager
def domain_errors_on(form: forms.BaseForm) -> Iterator[None]:
    """Run a service call; its refusal goes on `form` (and the block stops there)."""
    try:
        yield
    except DomainError as error:
        add_domain_error(form, error)


def _say_success(request: HttpRequest, success: Success) -> None:
    sentence = success() if callable(success) else success
    if sentence:
        messages.success(request, sentence)


def attempt(request: HttpRequest, action: Callable[[], object], success: Success = "") -> bool:
    """One service call from a button: its refusal, or `success`, as a message; whether
    the call went through."""
    try:
        action()
    except DomainError as error:
        message_domain_error(request, error)
        return False
    _say_success(request, success)
    return True


def run_service(
    request: HttpRequest,
    form: forms.BaseForm | None,
    action: Callable[[], object],
    success: Success = "",
) -> bool:
    """A service call from a form (its refusal on the form) or, with `form` None, from a
    button (its refusal as a message); `success` as a message; whether it went through."""
    if form is None:
        return attempt(request, action, success)
    try:
        action()
    except DomainError as error:
        add_domain_error(form, error)
        return False
    _say_success(request, success)
    return True
