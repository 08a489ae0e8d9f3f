"""The audit trail, written by services inside their transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from members.models import Association, AuditEntry, User


def record_audit(
    *,
    action: str,
    actor: User | None,
    association: Association | None,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry; `data` holds plain JSON values (ids, strings, decimal strings)."""
    return AuditEntry.objects.create(
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        association=association,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=data or {},
    )
