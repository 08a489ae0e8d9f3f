"""What the fleet's views share: a service call whose refusal goes on the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms

from core.errors import DomainError
from core.forms import add_domain_error

T = TypeVar("T")


def run_service(form: forms.BaseForm, write: Callable[[], T]) -> T | None:
    """Call a service; on a refusal, show it on the form (on its field when the form has
    it: core.forms.add_domain_error) and return None."""
    try:
        return write()
    except DomainError as error:
        add_domain_error(form, error)
    return None
