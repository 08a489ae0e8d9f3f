"""What the fleet's views share: turning service errors into form errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError

from core.errors import DomainError

T = TypeVar("T")


def run_service(form: forms.BaseForm, write: Callable[[], T]) -> T | None:
    """Call a service; on a refusal, attach its message to the form and return None."""
    try:
        return write()
    except DomainError as error:
        form.add_error(None, str(error.message))
    except ValidationError as error:
        add_validation_errors(form, error)
    return None


def add_validation_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Each message on its field when the form has it, otherwise on the whole form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        field: Any = name if name in form.fields else None
        form.add_error(field, messages)
