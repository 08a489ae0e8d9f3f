"""Bank accounts: the IBAN a person is paid back on, the association's own account."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction

from core.errors import DomainError
from core.iban import clean_bic, clean_iban
from members.audit import record_audit
from members.models import User

# The service; the checks serve it and the association settings service.
__all__ = ["update_own_iban"]


def checked(clean: Callable[[str], str], value: str, field: str) -> str:
    """`clean(value)`, a refusal becoming a DomainError on `field` with the validator's code."""
    try:
        return clean(value)
    except ValidationError as error:
        raise DomainError(error.messages[0], code=error.code, field=field) from error


def checked_iban(value: str) -> str:
    return checked(clean_iban, value, "iban")


def checked_bic(value: str) -> str:
    return checked(clean_bic, value, "bic")


def update_own_iban(*, user: User, iban: str) -> User:
    """The person records the IBAN the association pays them back on ("" removes it).
    Refused with `invalid_iban` / `iban_outside_sepa`; the trail says that it changed,
    never the number."""
    value = checked_iban(iban)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.iban == value:
            return locked
        locked.iban = value
        locked.save(update_fields=["iban"])
        record_audit(
            action="user.iban_updated",
            actor=locked,
            association=None,
            target=locked,
            data={"recorded": bool(value)},
        )
    return locked
