"""The association's bookkeeping settings, kept by the ledger (one row per association,
created the first time an admin saves them; until then the defaults below apply)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import between
from members.models import Association

# A period closes by itself this many days after its end unless the association says
# otherwise: time to type in the paper logbook and the bank's payments of its last days.
DEFAULT_AUTO_CLOSE_DAYS = 10
MAX_AUTO_CLOSE_DAYS = 365


class LedgerSettings(models.Model):
    association = models.OneToOneField(
        Association, on_delete=models.CASCADE, related_name="ledger_settings"
    )
    # None: periods close only when an admin closes them.
    auto_close_days = models.PositiveSmallIntegerField(
        _("close a period by itself after (days)"),
        null=True,
        blank=True,
        default=DEFAULT_AUTO_CLOSE_DAYS,
        validators=between(0, MAX_AUTO_CLOSE_DAYS),
        help_text=_("Days after the end of a period; leave empty to close periods by hand only."),
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bookkeeping settings")
        verbose_name_plural = _("bookkeeping settings")

    def __str__(self) -> str:
        return str(self.association)
