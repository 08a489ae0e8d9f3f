"""Writes of the outbox made by people: reading, preferences, an admin's retry."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import ConflictError, DomainError
from core.queue import enqueue_on_commit
from members.audit import record_audit
from members.models import Membership, User
from members.permissions import require_admin
from notifications.models import Notification, NotificationPreference
from notifications.registry import optional_kinds
from notifications.selectors import forget_unread
from notifications.tasks import send_notifications


def mark_notification_read(*, user: User, notification: Notification) -> Notification:
    """The person has seen it (their own notification only); reading twice changes nothing."""
    if notification.recipient_id != user.pk:
        raise DomainError(_("This notification is not yours."), code="not_recipient")
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
        forget_unread(user)
    return notification


def mark_all_notifications_read(*, user: User) -> int:
    """Every unread notification of the person becomes read; returns how many."""
    forget_unread(user)
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def set_notification_preferences(*, user: User, channels: Mapping[str, tuple[bool, bool]]) -> None:
    """Store (by e-mail, in the app) for optional kinds; essential kinds cannot be set."""
    optional = {kind.code for kind in optional_kinds()}
    refused = sorted(kind for kind in channels if kind not in optional)
    if refused:
        raise DomainError(
            _("These messages cannot be turned off: %(kinds)s.") % {"kinds": ", ".join(refused)},
            code="essential_kind",
        )
    with transaction.atomic():
        for kind, (by_email, in_app) in channels.items():
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"by_email": by_email, "in_app": in_app}
            )
        record_audit(
            action="members.notification_preferences",
            actor=user,
            association=None,
            data={kind: [by_email, in_app] for kind, (by_email, in_app) in channels.items()},
        )


def retry_notification(*, actor: Membership, notification: Notification) -> Notification:
    """An admin sends a failed notification again (after fixing an address, say)."""
    require_admin(actor, notification.association_id or 0)
    with transaction.atomic():
        locked = Notification.objects.select_for_update().get(pk=notification.pk)
        if locked.status != Notification.Status.FAILED:
            raise ConflictError(
                _("Only a failed notification can be sent again; this one is %(status)s.")
                % {"status": locked.get_status_display()},
                code="not_failed",
            )
        locked.status, locked.attempts, locked.next_attempt_at = (
            Notification.Status.PENDING,
            0,
            None,
        )
        locked.save(update_fields=["status", "attempts", "next_attempt_at"])
        record_audit(
            action="members.notification_retry",
            actor=actor.user,
            association=actor.association,
            target=locked,
            data={"previous_error": locked.last_error[:200]},
        )
        enqueue_on_commit(send_notifications, [locked.pk])
    return locked
