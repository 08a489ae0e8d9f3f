"""Small helpers shared by the members views."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from core.errors import DomainError


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a refused request on the field at fault, or at the top of the form."""
    field = error.extra.get("field")
    form.add_error(field if field in form.fields else None, str(error.message))


def message_domain_error(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, str(error.message))
