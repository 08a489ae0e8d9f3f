"""The notification kinds of the fleet; texts in templates/vehicles/notifications/."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.notices import Kind

DOCUMENT_EXPIRING = Kind("vehicles", "document_expiring", _("vehicle paper expiring"))
PROBATION_ENDED = Kind("vehicles", "probation_ended", _("probation ended"), optional=True)

KINDS = [DOCUMENT_EXPIRING, PROBATION_ENDED]
