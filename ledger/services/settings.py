"""The association's bookkeeping settings (admins only)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from ledger.models import LedgerSettings
from ledger.models.settings import MAX_AUTO_CLOSE_DAYS
from members.audit import record_audit
from members.models import Membership
from members.permissions import require_admin


def update_ledger_settings(*, actor: Membership, auto_close_days: int | None) -> LedgerSettings:
    """An admin sets after how many days a period closes by itself (None: by hand only)."""
    association = actor.association
    require_admin(actor, association.pk)
    if auto_close_days is not None and not 0 <= auto_close_days <= MAX_AUTO_CLOSE_DAYS:
        raise DomainError(
            _("Choose between 0 and %(max)s days.") % {"max": MAX_AUTO_CLOSE_DAYS},
            code="auto_close_days",
            field="auto_close_days",
        )
    with transaction.atomic():
        settings, _created = LedgerSettings.objects.select_for_update().get_or_create(
            association=association
        )
        before = settings.auto_close_days
        settings.auto_close_days = auto_close_days
        settings.updated_at = timezone.now()
        settings.save(update_fields=["auto_close_days", "updated_at"])
        record_audit(
            action="ledger.settings_changed",
            actor=actor.user,
            association=association,
            target=settings,
            data={"auto_close_days": [before, auto_close_days]},
        )
    return settings
