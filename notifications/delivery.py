"""Delivering notifications by e-mail, exactly once.

A worker owns a notification only after a conditional UPDATE moved it from "pending" (or
from "sending" whose lease has expired) to "sending" and reported one row: two workers can
never both own it. It then sends the e-mail and marks it "sent". A worker killed between
its claim and the "sent" update leaves the row "sending"; once the lease expires another
worker claims it and sends again, so nothing is lost. The price: if the kill happened after
the mail server accepted the message and before the "sent" update, the person gets it twice.
That window (one SMTP reply and one UPDATE) is the only place a duplicate can come from.

Transient errors (connection problems, 4xx replies) are retried with a growing delay;
permanent ones (5xx replies, a refused address) fail at once, with the error recorded.

A notification with an attachment (core.notices.Attachment) has its file made by the maker
its app registered, after the claim and before the e-mail is handed to the server, outside
any database transaction. A maker that cannot make it now (PDF workers busy: the per-process
render cap of core.pdf, or a render that timed out) raises AttachmentNotReady, a transient
error like a refused connection: the notification waits and is tried again. Any other
failure of the maker is permanent (a template that cannot render this data): the admins
see it on the background-jobs page and send it again once it is fixed.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import mail
from django.db.models import F, Q
from django.utils import timezone

from core.notices import AttachedFile, AttachmentNotReady
from core.pdf import RenderBusy
from notifications.models import Notification
from notifications.registry import get_attachment_maker

logger = logging.getLogger(__name__)

# Longer than any single SMTP exchange (EMAIL_TIMEOUT is 10 s) by a wide margin: a lease
# that expires while its owner is still talking to the server would mean a duplicate.
LEASE = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5
RETRY_DELAYS = (
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=15),
    dt.timedelta(hours=1),
    dt.timedelta(hours=4),
)
SWEEP_PAGE = 200
SWEEP_LIMIT = 5000
ERROR_MAX = 2000


@dataclass
class DeliveryCounts:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0


def is_transient(error: BaseException) -> bool:
    """Whether trying again later may succeed (a 4xx reply, a lost connection, busy PDF
    workers)."""
    if isinstance(error, (AttachmentNotReady, RenderBusy)):
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(error, smtplib.SMTPException):
        return False
    # Refused connections, timeouts, unreachable hosts.
    return isinstance(error, OSError)


def claimable(now: dt.datetime) -> Q:
    """Pending and due, or "sending" by a worker whose lease has expired."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    pending = Q(status=Notification.Status.PENDING) & due
    abandoned = Q(status=Notification.Status.SENDING, claimed_at__lt=now - LEASE)
    return (pending | abandoned) & Q(attempts__lt=MAX_ATTEMPTS)


def claim_notification(notification_id: int, *, now: dt.datetime) -> bool:
    """Take the notification for this worker; False if someone else has it or it is done."""
    claimed = Notification.objects.filter(claimable(now), pk=notification_id).update(
        status=Notification.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return claimed == 1


def deliver_notification(notification_id: int, *, connection: Any = None) -> str:
    """Claim, send, mark. Returns "sent", "retried", "failed" or "skipped" (not ours)."""
    now = timezone.now()
    if not claim_notification(notification_id, now=now):
        return "skipped"
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        _send(notification, connection)
    except Exception as error:
        return _record_failure(notification, error, claimed_at=now)
    mine = Notification.objects.filter(
        pk=notification_id, status=Notification.Status.SENDING, claimed_at=now
    )
    mine.update(status=Notification.Status.SENT, sent_at=timezone.now(), last_error="")
    return "sent"


def _send(notification: Notification, connection: Any) -> None:
    message = mail.EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.address],
        connection=connection,
        headers={"Auto-Submitted": "auto-generated"},
    )
    if notification.attachment:
        attached = make_attachment(notification.attachment)
        message.attach(attached.filename, attached.content, attached.mimetype)
    message.send(fail_silently=False)


def make_attachment(spec: dict[str, Any]) -> AttachedFile:
    """The file of a notification's attachment, from the maker its app registered."""
    maker = get_attachment_maker(str(spec.get("maker", "")))
    if maker is None:
        raise LookupError(f"attachment maker {spec.get('maker')!r} is not registered")
    return maker(spec.get("params") or {})


def _record_failure(
    notification: Notification, error: Exception, *, claimed_at: dt.datetime
) -> str:
    text = f"{type(error).__name__}: {error}"[:ERROR_MAX]
    attempts = notification.attempts
    mine = Notification.objects.filter(
        pk=notification.pk, status=Notification.Status.SENDING, claimed_at=claimed_at
    )
    if is_transient(error) and attempts < MAX_ATTEMPTS:
        delay = RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]
        mine.update(
            status=Notification.Status.PENDING,
            next_attempt_at=timezone.now() + delay,
            last_error=text,
        )
        logger.warning("notification %s: will retry in %s (%s)", notification.pk, delay, text)
        return "retried"
    mine.update(status=Notification.Status.FAILED, last_error=text)
    logger.error("notification %s failed: %s", notification.pk, text)
    return "failed"


def fail_abandoned(*, now: dt.datetime) -> int:
    """Give up on notifications whose workers died while sending them MAX_ATTEMPTS times."""
    return Notification.objects.filter(
        status=Notification.Status.SENDING,
        claimed_at__lt=now - LEASE,
        attempts__gte=MAX_ATTEMPTS,
    ).update(
        status=Notification.Status.FAILED,
        last_error=f"Delivery interrupted {MAX_ATTEMPTS} times.",
    )


def deliver_notifications(notification_ids: list[int]) -> DeliveryCounts:
    """Deliver the given notifications (those still claimable), over one SMTP connection."""
    counts = DeliveryCounts()
    if not notification_ids:
        return counts
    connection = mail.get_connection()
    try:
        connection.open()
    except Exception as error:
        # Each message will try again and record the error on its own row.
        logger.warning("mail server unavailable: %s", error)
    try:
        for notification_id in notification_ids:
            outcome = deliver_notification(notification_id, connection=connection)
            setattr(counts, outcome, getattr(counts, outcome) + 1)
            if outcome in ("retried", "failed"):
                connection.close()  # a broken connection is reopened by the next message
    finally:
        connection.close()
    return counts


def deliver_due_notifications(*, limit: int = SWEEP_LIMIT) -> DeliveryCounts:
    """The sweep: deliver everything due, oldest first, whoever created it and whenever."""
    total = DeliveryCounts()
    fail_abandoned(now=timezone.now())
    last_pk, seen = 0, 0
    while seen < limit:
        due = Notification.objects.filter(claimable(timezone.now()), pk__gt=last_pk)
        page = list(due.order_by("pk").values_list("pk", flat=True)[:SWEEP_PAGE])
        if not page:
            break
        last_pk, seen = page[-1], seen + len(page)
        counts = deliver_notifications(page)
        for name in ("sent", "retried", "failed", "skipped"):
            setattr(total, name, getattr(total, name) + getattr(counts, name))
    return total
