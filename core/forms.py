"""Domain errors on pages: the one way a view shows a service's refusal.

- `add_domain_error(form, error)`: on the field the error names when the form shows that
  field, else at the top of the form; never dropped.
- `domain_errors_on(form)`: a block whose refusal goes on the form (the form is then
  invalid, so the view renders it again with status 400).
- `attempt(request, action, success)`: a button without a form (approve, cancel…): the
  refusal, or `success`, becomes a message on the next page.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from core.errors import DomainError


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a refusal on the field(s) at fault, or at the top of the form."""
    shown = error.field_errors or {"": [str(error.message)]}
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


def attempt(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """One service call from a button: its refusal, or `success`, as a message; whether
    the call went through."""
    try:
        action()
    except DomainError as error:
        message_domain_error(request, error)
        return False
    messages.success(request, success)
    return True
