"""Creating notifications: insert-or-ignore on (recipient, key), texts rendered at creation.

Apps call `core.notices.queue_notifications(messages)`, which the app connects to
`queue_notifications` below at start-up. A batch of messages costs a fixed number of queries
whatever its size (existing keys, preferences, one multi-row insert, the created ids), so
scans over thousands of rows stay flat per row. Sending is queued after commit; if the
broker is down the rows wait, pending, for the next delivery sweep.

A person without an account (an invitee) is reached at an e-mail address: the row has no
recipient, its key is unique per address, it is sent by e-mail only and in the language the
message names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.notices import Message, QueueResult
from core.queue import enqueue_on_commit
from core.typography import apply_french
from notifications.models import Notification, NotificationPreference
from notifications.registry import get_attachment_maker, get_kind
from notifications.tasks import send_notifications

SUBJECT_MAX = 255
FOOTER_TEMPLATE = "notifications/_footer.txt"

Channels = tuple[bool, bool]  # (by e-mail, in the app)


def queue_notifications(messages: Iterable[Message]) -> QueueResult:
    """Create the notifications that do not exist yet and queue their sending after commit."""
    batch = _deduplicated(messages)
    if not batch:
        return QueueResult()
    existing = _existing_keys(batch)
    channels = _channels(batch)
    now = timezone.now()
    rows = [
        _build(message, channels[_who_and_kind(message)], now)
        for message in batch
        if (message.recipient_key, message.full_key) not in existing
        and any(channels[_who_and_kind(message)])
        and (message.recipient is None or message.recipient.is_active)
    ]
    if not rows:
        return QueueResult()
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        result = _created(rows, now)
    if result.pending_ids:
        enqueue_on_commit(send_notifications, result.pending_ids)
    return result


def _deduplicated(messages: Iterable[Message]) -> list[Message]:
    seen: dict[tuple[tuple[str, Any], str], Message] = {}
    for message in messages:
        if get_kind(message.kind.code) != message.kind:
            raise LookupError(f"notification kind {message.kind.code!r} is not registered")
        if _suspended(message):
            continue
        if message.attachment and get_attachment_maker(message.attachment.maker) is None:
            raise LookupError(f"attachment maker {message.attachment.maker!r} is not registered")
        seen.setdefault((message.recipient_key, message.full_key), message)
    return list(seen.values())


def _suspended(message: Message) -> bool:
    """The platform's operators suspended the message's association: its jobs and services
    send nothing while it lasts (Association.suspended_at, as the caller loaded it)."""
    return getattr(message.association, "suspended_at", None) is not None


def _who(recipient_id: int | None, email: str) -> tuple[str, Any]:
    """The same as Message.recipient_key, for a row."""
    return ("user", recipient_id) if recipient_id else ("email", email)


def _who_and_kind(message: Message) -> tuple[tuple[str, Any], str]:
    return (message.recipient_key, message.kind.code)


def _existing_keys(batch: Sequence[Message]) -> set[tuple[tuple[str, Any], str]]:
    users = {message.recipient.pk for message in batch if message.recipient is not None}
    addresses = {message.email for message in batch if message.recipient is None}
    rows = Notification.objects.filter(
        Q(recipient_id__in=users) | Q(recipient__isnull=True, email__in=addresses),
        key__in={message.full_key for message in batch},
    ).values_list("recipient_id", "email", "key")
    return {(_who(recipient_id, email), key) for recipient_id, email, key in rows}


def _channels(batch: Sequence[Message]) -> dict[tuple[tuple[str, Any], str], Channels]:
    """(by e-mail, in the app) for each (recipient, kind) of the batch: one query at most.
    An address without an account gets e-mail only: it has no app to read it in."""
    wanted = {_who_and_kind(message) for message in batch}
    channels = {key: (True, key[0][0] == "user") for key in wanted}
    optional = {code for code in {kind for _who, kind in wanted} if _is_optional(code)}
    users = {who[1] for who, kind in wanted if who[0] == "user" and kind in optional}
    if users:
        preferences = NotificationPreference.objects.filter(
            user_id__in=users, kind__in=optional
        ).values_list("user_id", "kind", "by_email", "in_app")
        for user_id, kind, by_email, in_app in preferences:
            if (("user", user_id), kind) in channels:
                channels[(("user", user_id), kind)] = (by_email, in_app)
    return channels


def _is_optional(code: str) -> bool:
    kind = get_kind(code)
    return kind is not None and kind.optional


def _build(message: Message, channels: Channels, now: dt.datetime) -> Notification:
    by_email, in_app = channels
    subject, body = render_message(message)
    return Notification(
        recipient_id=message.recipient.pk if message.recipient is not None else None,
        email=message.email,
        association_id=message.association.pk if message.association is not None else None,
        kind=message.kind.code,
        key=message.full_key,
        subject=subject,
        body=body,
        url=message.url,
        attachment=message.attachment.as_json() if message.attachment else {},
        by_email=by_email,
        in_app=in_app,
        # Nothing to deliver for the app alone: the row is the delivery.
        status=Notification.Status.PENDING if by_email else Notification.Status.SENT,
        sent_at=None if by_email else now,
        created_at=now,
    )


def render_message(message: Message) -> tuple[str, str]:
    """Subject and body in the recipient's language, times in the association's zone.

    A person with an account gets the platform's footer (a link to their notifications and
    preferences) after the kind's body; an address without an account has no such page."""
    zone = message.association.tz if message.association else ZoneInfo(settings.TIME_ZONE)
    context = {
        **message.context,
        "recipient": message.recipient,
        "association": message.association,
        "link": settings.SITE_URL + message.url if message.url else "",
        "site_url": settings.SITE_URL,
    }
    language = (
        message.recipient.language if message.recipient else message.language
    ) or settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(zone):
        subject = render_to_string(message.kind.subject_template, context)
        body: str = render_to_string(message.kind.body_template, context)
        if message.recipient is not None:
            # The footer opens with a blank line and the signature separator ("-- ").
            body = body.rstrip("\n") + "\n" + render_to_string(FOOTER_TEMPLATE, context)
    # French typography once the lines are joined (split() would take no-break spaces too).
    subject = apply_french(" ".join(subject.split()), language)[:SUBJECT_MAX]
    return subject, apply_french(body.strip(), language) + "\n"


def _created(rows: Sequence[Notification], now: dt.datetime) -> QueueResult:
    """The rows this call inserted: those stamped with its own creation instant."""
    ours = {(_who(row.recipient_id, row.email), row.key) for row in rows}
    users = {row.recipient_id for row in rows if row.recipient_id}
    addresses = {row.email for row in rows if not row.recipient_id}
    found = Notification.objects.filter(
        Q(recipient_id__in=users) | Q(recipient__isnull=True, email__in=addresses),
        key__in={row.key for row in rows},
        created_at=now,
    ).values_list("pk", "recipient_id", "email", "key", "status", "association_id")
    result = QueueResult()
    for pk, recipient_id, email, key, status, association_id in found:
        if (_who(recipient_id, email), key) not in ours:
            continue
        result.created += 1
        if association_id is not None:
            result.by_association[association_id] += 1
        if status == Notification.Status.PENDING:
            result.pending_ids.append(pk)
    return result
