"""Validators of association and member fields, shared by the models, the forms and the
migrations."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.timeutils import is_valid_zone

# First path segments the project uses at the root: an association with one of these slugs
# would be unreachable (its pages would be shadowed by the root URLs).
RESERVED_SLUGS = frozenset(
    {
        "accounts",
        "associations",
        "django-admin",
        "api",
        "healthz",
        "i18n",
        "static",
        "media",
        "me",
        "invitations",
        "join",
        "ical",
        "feeds",
        "offline",
    }
)

POSTCODE_RE = re.compile(r"[0-9]{5}")


def validate_association_slug(value: str) -> None:
    """Refuse the slugs that root URLs use."""
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is reserved by the site; choose another short name."),
            code="reserved_slug",
            params={"slug": value},
        )


def validate_postcode(value: str) -> None:
    """A French postcode: five ASCII digits (overseas ones too: 97100, 97400…); blank is left
    to the field (an association's postcode is required, a member's is not)."""
    if value and not POSTCODE_RE.fullmatch(value):
        raise ValidationError(
            _("Give a postcode of five digits, for example 63000."), code="postcode"
        )


def validate_time_zone(value: str) -> None:
    """Only IANA zone names (Europe/Paris, America/Cayenne…)."""
    if not is_valid_zone(value):
        raise ValidationError(
            _("“%(zone)s” is not a known time zone (for example Europe/Paris)."),
            code="time_zone",
            params={"zone": value},
        )
