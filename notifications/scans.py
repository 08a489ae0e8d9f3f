"""The outbox's own scheduled job: the delivery sweep."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.notices import Job, ScanCounts
from notifications.delivery import deliver_due_notifications

DELIVER = "deliver_notifications"


def sweep_outbox(**_kwargs: object) -> ScanCounts:
    """Deliver whatever is pending: created while the broker was down, or due for a retry."""
    counts = deliver_due_notifications()
    return ScanCounts(checked=counts.sent + counts.retried + counts.failed, sent=counts.sent)


JOBS = [Job(DELIVER, _("Sending of pending notifications"), _("every minute"), sweep_outbox)]
