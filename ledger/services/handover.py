"""The handover of a car-sharing agreement (remise en main): the signature, the deposit and
the remarks of the meeting recorded in one submission, all or nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files import File
from django.db import transaction

from contracts.models import Agreement
from contracts.services.agreements import record_agreement_signature
from ledger.models import Deposit
from ledger.services.contributions import record_deposit
from members.audit import record_audit
from members.models import Membership
from members.permissions import require_admin


@dataclass(frozen=True)
class Handover:
    """What the admin writes down when the agreement is signed and the keys handed over."""

    signed_on: dt.date
    deposit_amount: Decimal | None = None  # none: no deposit taken at this meeting
    deposit_means: str = Deposit.Means.CHEQUE
    cheque_number: str = ""
    bank: str = ""
    remarks: str = ""
    scan: File[Any] | None = None


def record_handover(*, actor: Membership, agreement: Agreement, handover: Handover) -> Agreement:
    """Sign the agreement and record the deposit and the remarks: one transaction, one
    audit entry. The deposit goes first: its refusal (too small, none taken) leaves the
    agreement unsigned and stores no scan."""
    require_admin(actor, agreement.association_id)
    remarks = handover.remarks.strip()
    with transaction.atomic():
        deposit = None
        if handover.deposit_amount is not None:
            deposit = record_deposit(
                membership=agreement.driver,
                amount=handover.deposit_amount,
                received_on=handover.signed_on,
                cheque_number=handover.cheque_number.strip(),
                bank=handover.bank.strip(),
                actor=actor,
                vehicle=agreement.vehicle,
                note=remarks[:255],
                means=handover.deposit_means,
            )
        signed = record_agreement_signature(
            actor=actor,
            agreement=agreement,
            signed_on=handover.signed_on,
            scan=handover.scan,
        )
        record_audit(
            action="ledger.handover_recorded",
            actor=actor.user,
            association=actor.association,
            target=signed,
            data={
                "deposit": deposit.pk if deposit else None,
                "amount": str(deposit.amount) if deposit else None,
                "means": deposit.means if deposit else None,
                "remarks": remarks,
            },
        )
    return signed
