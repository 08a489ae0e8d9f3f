"""Correcting a record whose cost reached the ledger: the record is edited in place, and the
entry it had posted is reversed and posted again with the corrected values, in the same
transaction (an explicit call, no model signal). Both the wrong entry, its reversal and the
corrected entry stay in the journal; the vehicle's page lists the correction (audit)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, cast

from django.db.models import Field
from django.utils.translation import gettext

from core.money import format_euros
from core.stored_files import atomic_with_files
from ledger.models import LedgerTransaction
from ledger.services.expenses import maintenance_reference, sync_maintenance_expense
from ledger.services.posting import active_by_reference, lock_ledger, reverse_entry
from members.models import Membership
from vehicles.models import MaintenanceEvent
from vehicles.services import correct_maintenance

# The service.
__all__ = ["correct_maintenance_with_expense"]

# What the maintenance's ledger entry is made of; a change elsewhere (odometer, receipt)
# leaves the entry as it is.
POSTED_FIELDS = frozenset({"cost", "paid_by", "kind", "date", "description"})


def correct_maintenance_with_expense(
    *, actor: Membership, event: MaintenanceEvent, fields: Mapping[str, Any]
) -> MaintenanceEvent:
    """An owner or an admin corrects a maintenance event (the vehicles service checks them
    with require_manager, audited); when a posted value changed, reverse the entry it had
    posted and post the corrected one. An event that never reached the ledger (recorded at
    no cost, or before maintenance was posted with its record) is posted now: a record never
    misses its expense, and a cost the ledger refuses refuses the correction. An entry an
    admin cancelled is not posted again."""
    association = event.vehicle.association
    with atomic_with_files():  # a refused posting takes the corrected receipt back
        changes = correct_maintenance(actor=actor, event=event, fields=fields)
        if not POSTED_FIELDS.intersection(changes):
            return event
        lock_ledger(association)
        reference = maintenance_reference(event.pk)
        posted = active_by_reference(association, reference)
        if posted is not None:
            # The vehicles service checked who corrects (owners too, not only admins): the
            # reversal is the unchecked helper, not the admins' reverse_transaction.
            reverse_entry(posted, _reason(event, changes), actor.user)
        elif LedgerTransaction.objects.filter(
            association=association, reference=reference
        ).exists():
            return event  # its entry was cancelled: it stays so
        sync_maintenance_expense(actor=actor, event=event)
    return event


def _reason(event: MaintenanceEvent, changes: dict[str, list[Any]]) -> str:
    """ "Maintenance corrected: 189,90 € → 198,90 €" (the cost) or the fields changed."""
    if "cost" in changes:
        old, new = changes["cost"]
        detail = f"{format_euros(Decimal(old))} → {format_euros(Decimal(new))}"
    else:
        names = [_label(name) for name in changes]
        detail = ", ".join(sorted(names))
    return gettext("Maintenance corrected (%(what)s): %(detail)s") % {
        "what": event.description or event.get_kind_display(),
        "detail": detail,
    }


def _label(name: str) -> str:
    field = cast("Field[Any, Any]", MaintenanceEvent._meta.get_field(name))
    return str(field.verbose_name)
