"""Reads about vehicle expenses."""

from __future__ import annotations

from django.db.models import QuerySet

from ledger.models import LedgerTransaction
from members.models import Association
from vehicles.models import MaintenanceEvent

PREFIX = "maintenance:"


def unposted_maintenance(association: Association) -> QuerySet[MaintenanceEvent]:
    """Maintenance events with a cost that never reached the ledger (e.g. their car had no
    owner recorded when they were saved). An event whose entry was posted and then cancelled
    (reversed by an admin) is not listed: a cancelled entry never offers to post itself
    again."""
    posted = LedgerTransaction.objects.filter(
        association=association, reference__startswith=PREFIX
    ).values_list("reference", flat=True)
    posted_ids = {int(ref.removeprefix(PREFIX)) for ref in posted if ref[len(PREFIX) :].isdigit()}
    return (
        MaintenanceEvent.objects.filter(vehicle__association=association, cost__gt=0)
        .exclude(pk__in=posted_ids)
        .select_related("vehicle", "paid_by__user")
        .order_by("-date")
    )
