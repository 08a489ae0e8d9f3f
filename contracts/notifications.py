"""The notification kinds of contracts; texts in templates/contracts/notifications/."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.notices import Kind

AGREEMENTS_TO_RESIGN = Kind("contracts", "agreements_to_resign", _("agreements to re-sign"))

KINDS = [AGREEMENTS_TO_RESIGN]
