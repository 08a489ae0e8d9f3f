"""The SEPA credit-transfer file (pain.001.001.03) of the payouts the association owes for a
period, for its bank: built by sepaxml, which checks it against the pain.001 schema."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from sepaxml import SepaTransfer
from sepaxml.validation import ValidationError as SepaValidationError

from core.errors import DomainError
from core.iban import bic_of
from ledger.selectors.payouts import PayoutBatch, association_payouts
from ledger.services.settlement import parse_span
from members.audit import record_audit
from members.models import Association, Membership
from members.permissions import require_admin

# The service.
__all__ = ["credit_transfer_file"]

SCHEMA = "pain.001.001.03"


def credit_transfer_file(
    *, actor: Membership, key: str, execution_date: dt.date
) -> tuple[bytes, PayoutBatch]:
    """The XML of the period's payouts to members with an IBAN, and the batch it carries
    (with those left out). Admins only; refused without the association's IBAN
    (`association_iban_missing`) or with nothing to pay (`no_payouts`). Audited."""
    association = actor.association
    require_admin(actor, association.pk)
    span = parse_span(key)
    if not association.iban:
        raise DomainError(
            _("Record the association's IBAN in its settings first."),
            code="association_iban_missing",
        )
    batch = association_payouts(association, span)
    if not batch.payouts:
        raise DomainError(
            _("The association owes no transfer to a member with an IBAN for this period."),
            code="no_payouts",
        )
    xml = _xml(association, batch, execution_date)
    record_audit(
        action="ledger.sepa_file_exported",
        actor=actor.user,
        association=association,
        data={
            "period": span.key,
            "payouts": len(batch.payouts),
            "total": str(batch.total),
            "left_out": len(batch.left_out),
        },
    )
    return xml, batch


def _xml(association: Association, batch: PayoutBatch, execution_date: dt.date) -> bytes:
    config: dict[str, Any] = {
        "name": association.name,
        "IBAN": association.iban,
        "batch": True,
        "currency": "EUR",
    }
    bic = association.bic or bic_of(association.iban)
    if bic:
        config["BIC"] = bic
    sepa = SepaTransfer(config, schema=SCHEMA, clean=True)
    for payout in batch.payouts:
        party = payout.transfer.payee
        sepa.add_payment(
            {
                "name": party.name,
                "IBAN": payout.iban,
                "amount": int(payout.transfer.amount * 100),
                "execution_date": execution_date,
                "description": f"{association.name} {batch.span.key}",
                "endtoend_id": f"ADH-{party.membership_id}-{batch.span.key}",
            }
        )
    try:
        return bytes(sepa.export(validate=True))
    except SepaValidationError as error:  # a name or IBAN the schema refuses
        raise DomainError(
            _("The bank file could not be built from these names and accounts."),
            code="sepa_invalid",
        ) from error
