"""Bank account numbers (IBAN, BIC), checked with schwifty: members record where the
association pays them back, the association records the account it pays from.

Stored compact (no spaces, upper case); shown masked on pages and in the API, since the
number only ever needs to be recognised by its owner, not read again."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

MASK = "•"


def clean_iban(value: str) -> str:
    """The IBAN compact ("FR76300060000112…"), "" for an empty value; ValidationError
    (code `invalid_iban`, or `iban_outside_sepa` for a country SEPA transfers cannot reach)."""
    text = "".join(value.split()).upper()
    if not text:
        return ""
    try:
        iban = IBAN(text)
    except SchwiftyException as error:
        raise ValidationError(
            _("This IBAN is not valid: check the letters and digits against your bank's paper."),
            code="invalid_iban",
        ) from error
    if not iban.in_sepa_zone:
        raise ValidationError(
            _("This IBAN is outside the SEPA zone: the association cannot transfer to it."),
            code="iban_outside_sepa",
        )
    return str(iban.compact)


def validate_iban(value: str) -> None:
    """Model validator: the stored value must be a valid IBAN (or empty)."""
    clean_iban(value)


def clean_bic(value: str) -> str:
    """The BIC compact ("AGRIFRPPXXX"), "" for an empty value; ValidationError `invalid_bic`."""
    text = "".join(value.split()).upper()
    if not text:
        return ""
    try:
        return str(BIC(text).compact)
    except SchwiftyException as error:
        raise ValidationError(
            _("This BIC is not valid (8 or 11 letters and digits, e.g. AGRIFRPP)."),
            code="invalid_bic",
        ) from error


def validate_bic(value: str) -> None:
    clean_bic(value)


def bic_of(iban: str) -> str:
    """The BIC of the IBAN's bank when schwifty's bank registry knows it, else ""."""
    try:
        bic = IBAN(iban).bic
    except SchwiftyException:
        return ""
    return str(bic.compact) if bic is not None else ""


def mask_iban(iban: str) -> str:
    """ "FR76 •••• •••• •••• •••• •••• 189": the country, check digits and last three
    characters; "" when none is recorded."""
    if not iban:
        return ""
    hidden = iban[:4] + MASK * (len(iban) - 7) + iban[-3:]
    return " ".join(hidden[i : i + 4] for i in range(0, len(hidden), 4))
