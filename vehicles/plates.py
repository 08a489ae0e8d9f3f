"""French registration plates: validation and one normal form per plate.

Accepted, in upper or lower case, with spaces, dashes or nothing between the groups:

- SIV (since 2009): two letters, three digits, two letters; normalised as ``AB-123-CD``.
  Refused, because the SIV never issues them: the letters I, O and U (mistaken for 1, 0
  and V); the number 000 (the series start at 001); the pair SS on either side; the pair
  WW on the left, which marks a temporary registration (a shared car is described in its
  agreement by its definitive registration, so the owner enters that one).
- FNI (before 2009, still on the road): a number of 1 to 4 digits (not 0), 1 to 3 letters,
  then the department (01 to 95, 2A, 2B, 971 to 976); normalised as ``1234 AB 63``. Its
  letters are not checked further: the old series are too varied to refuse a real plate.

Everything else is refused with a message that shows the expected forms.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s\-.]+")
_SIV = re.compile(r"^([A-Z]{2})-?([0-9]{3})-?([A-Z]{2})$")
_FNI = re.compile(r"^([0-9]{1,4})-?([A-Z]{1,3})-?([0-9]{2,3}|2[AB])$")
_SIV_UNUSED_LETTERS = frozenset("IOU")
_FNI_DEPARTMENTS = frozenset(
    [f"{number:02d}" for number in range(1, 96)] + ["2A", "2B"] + [str(n) for n in range(971, 977)]
)

FORMAT_MESSAGE = _(
    "Enter the plate as on the registration certificate: AB-123-CD, or 1234 AB 63 for an old plate."
)


def normalise_plate(raw: str) -> str:
    """The plate's normal form (``AB-123-CD`` or ``1234 AB 63``); ValidationError if invalid."""
    compact = _SEPARATORS.sub("-", (raw or "").strip().upper()).strip("-")
    if not compact:
        raise ValidationError(_("Enter the registration plate."), code="plate_required")
    siv = _SIV.match(compact)
    if siv:
        return _check_siv(*siv.groups())
    fni = _FNI.match(compact)
    if fni:
        return _check_fni(*fni.groups())
    raise ValidationError(FORMAT_MESSAGE, code="plate_format")


def validate_plate(value: str) -> None:
    """Model validator: the stored value must already be in its normal form."""
    if normalise_plate(value) != value:
        raise ValidationError(FORMAT_MESSAGE, code="plate_not_normalised")


def _check_siv(left: str, number: str, right: str) -> str:
    unused = sorted(set(left + right) & _SIV_UNUSED_LETTERS)
    if unused:
        raise ValidationError(
            _(
                "The letters I, O and U never appear on a plate of this format "
                "(check for a 1, a 0 or a V)."
            ),
            code="plate_unused_letter",
        )
    if number == "000":
        raise ValidationError(
            _("The number of a plate goes from 001 to 999."), code="plate_zero_number"
        )
    if "SS" in (left, right):
        raise ValidationError(
            _("The letters SS are never used on a plate; check the registration certificate."),
            code="plate_forbidden_pair",
        )
    if left == "WW":
        raise ValidationError(
            _(
                "WW plates are temporary registrations; enter the definitive plate once the "
                "registration certificate has been issued."
            ),
            code="plate_temporary",
        )
    return f"{left}-{number}-{right}"


def _check_fni(number: str, letters: str, department: str) -> str:
    if int(number) == 0:
        raise ValidationError(FORMAT_MESSAGE, code="plate_format")
    number = str(int(number))  # 0123 and 123 are the same plate
    if department not in _FNI_DEPARTMENTS:
        raise ValidationError(
            _("%(department)s is not a department number of an old plate.")
            % {"department": department},
            code="plate_department",
        )
    return f"{number} {letters} {department}"
