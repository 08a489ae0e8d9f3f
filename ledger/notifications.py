"""The notification kinds of the ledger; texts in templates/ledger/notifications/."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.notices import Kind

STATEMENT_READY = Kind("ledger", "statement_ready", _("statement available"), optional=True)

KINDS = [STATEMENT_READY]
