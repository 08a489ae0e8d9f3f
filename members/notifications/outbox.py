"""Creating notifications: insert-or-ignore on (recipient, key), texts rendered at creation.

A batch of messages costs a fixed number of queries whatever its size (existing keys,
preferences, one multi-row insert, the created ids), so scans over thousands of rows stay
flat per row. Sending is queued after commit; if the broker is down the rows wait, pending,
for the next delivery sweep.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from core.queue import enqueue_on_commit
from members.models import (
    OPTIONAL_KINDS,
    Association,
    Notification,
    NotificationKind,
    NotificationPreference,
    User,
)
from members.tasks import send_notifications

SUBJECT_MAX = 255


@dataclass(frozen=True)
class Message:
    """A notification to create. `key` names the object and the occasion ("booking:42:24h");
    the kind is prefixed to it. `context` holds plain data for the kind's templates."""

    recipient: User
    kind: NotificationKind
    key: str
    association: Association | None
    context: Mapping[str, Any] = field(default_factory=dict)
    url: str = ""

    @property
    def full_key(self) -> str:
        return f"{self.kind}:{self.key}"


@dataclass
class QueueResult:
    """What a batch created: the ids to send and how many notifications per association."""

    created: int = 0
    pending_ids: list[int] = field(default_factory=list)
    by_association: Counter[int] = field(default_factory=Counter)


def link(url_name: str, **kwargs: Any) -> str:
    """A site path for a notification, or "" when the page does not exist (yet)."""
    try:
        return reverse(url_name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def queue_notifications(messages: Iterable[Message]) -> QueueResult:
    """Create the notifications that do not exist yet and queue their sending after commit."""
    batch = _deduplicated(messages)
    if not batch:
        return QueueResult()
    existing = _existing_keys(batch)
    channels = _channels(batch)
    now = timezone.now()
    rows = [
        _build(message, channels[(message.recipient.pk, message.kind)], now)
        for message in batch
        if (message.recipient.pk, message.full_key) not in existing
        and any(channels[(message.recipient.pk, message.kind)])
        and message.recipient.is_active
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
    seen: dict[tuple[int, str], Message] = {}
    for message in messages:
        seen.setdefault((message.recipient.pk, message.full_key), message)
    return list(seen.values())


def _existing_keys(batch: Sequence[Message]) -> set[tuple[int, str]]:
    rows = Notification.objects.filter(
        recipient_id__in={message.recipient.pk for message in batch},
        key__in={message.full_key for message in batch},
    ).values_list("recipient_id", "key")
    return set(rows)


def _channels(batch: Sequence[Message]) -> dict[tuple[int, str], tuple[bool, bool]]:
    """(by e-mail, in the app) for each (recipient, kind) of the batch: one query at most."""
    wanted = {(message.recipient.pk, str(message.kind)) for message in batch}
    channels = dict.fromkeys(wanted, (True, True))
    optional = {kind for _user, kind in wanted if kind in OPTIONAL_KINDS}
    if optional:
        preferences = NotificationPreference.objects.filter(
            user_id__in={user for user, _kind in wanted}, kind__in=optional
        ).values_list("user_id", "kind", "by_email", "in_app")
        for user_id, kind, by_email, in_app in preferences:
            if (user_id, kind) in channels:
                channels[(user_id, kind)] = (by_email, in_app)
    return channels


def _build(message: Message, channels: tuple[bool, bool], now: dt.datetime) -> Notification:
    by_email, in_app = channels
    subject, body = render_message(message)
    return Notification(
        recipient=message.recipient,
        association=message.association,
        kind=message.kind,
        key=message.full_key,
        subject=subject,
        body=body,
        url=message.url,
        by_email=by_email,
        in_app=in_app,
        # Nothing to deliver for the app alone: the row is the delivery.
        status=Notification.Status.PENDING if by_email else Notification.Status.SENT,
        sent_at=None if by_email else now,
        created_at=now,
    )


def render_message(message: Message) -> tuple[str, str]:
    """Subject and body in the recipient's language, times in the association's zone."""
    zone = message.association.tz if message.association else ZoneInfo(settings.TIME_ZONE)
    context = {
        **message.context,
        "recipient": message.recipient,
        "association": message.association,
        "link": settings.SITE_URL + message.url if message.url else "",
        "site_url": settings.SITE_URL,
    }
    base = f"members/notifications/{message.kind}"
    with translation.override(message.recipient.language), timezone.override(zone):
        subject = render_to_string(f"{base}_subject.txt", context)
        body = render_to_string(f"{base}_body.txt", context)
    return " ".join(subject.split())[:SUBJECT_MAX], body.strip() + "\n"


def _created(rows: Sequence[Notification], now: dt.datetime) -> QueueResult:
    """The rows this call inserted: those stamped with its own creation instant."""
    ours = {(row.recipient_id, row.key) for row in rows}
    found = Notification.objects.filter(
        recipient_id__in={row.recipient_id for row in rows},
        key__in={row.key for row in rows},
        created_at=now,
    ).values_list("pk", "recipient_id", "key", "status", "association_id")
    result = QueueResult()
    for pk, recipient_id, key, status, association_id in found:
        if (recipient_id, key) not in ours:
            continue
        result.created += 1
        if association_id is not None:
            result.by_association[association_id] += 1
        if status == Notification.Status.PENDING:
            result.pending_ids.append(pk)
    return result
