"""The association's bookkeeping settings (the defaults until an admin saves them)."""

from __future__ import annotations

from ledger.models import LedgerSettings
from members.models import Association


def ledger_settings(association: Association) -> LedgerSettings:
    """The saved settings, or an unsaved row holding the defaults (reading writes nothing)."""
    found = LedgerSettings.objects.filter(association=association).first()
    return found if found is not None else LedgerSettings(association=association)
