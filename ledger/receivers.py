"""Receivers connected in LedgerConfig.ready: maintenance events become vehicle expenses.

A receiver runs inside the writer's transaction (the vehicles app's service), so an event
and its expense commit together. A domain error (a car with no recorded owner) must not
break the vehicles app: it is logged and the event stays listed as "not posted" on the
ledger's expenses page, where an admin posts it once the owner is recorded.
"""

from __future__ import annotations

import logging
from typing import Any

from core.errors import DomainError
from ledger.services.expenses import sync_maintenance_expense, withdraw_maintenance_expense
from members.permissions import SystemActor
from vehicles.models import MaintenanceEvent

logger = logging.getLogger(__name__)


def maintenance_saved(
    sender: Any, instance: MaintenanceEvent, raw: bool = False, **kw: Any
) -> None:
    if raw:  # fixtures load rows as they are
        return
    try:
        platform = SystemActor(instance.vehicle.association, "maintenance_saved")
        sync_maintenance_expense(actor=platform, event=instance)
    except DomainError as error:
        logger.warning("maintenance %s not posted: %s", instance.pk, error.code)


def maintenance_deleted(sender: Any, instance: MaintenanceEvent, **kw: Any) -> None:
    try:
        association = instance.vehicle.association
        withdraw_maintenance_expense(
            actor=SystemActor(association, "maintenance_deleted"),
            association=association,
            event_id=instance.pk,
        )
    except DomainError as error:
        logger.warning("maintenance %s not withdrawn: %s", instance.pk, error.code)
