"""Writes of the outbox made by people: reading, preferences, retrying a failure."""

from __future__ import annotations

import pytest

from core.errors import ConflictError, DomainError, ForbiddenError
from members.models import AuditEntry
from notifications import services
from notifications.models import Notification, NotificationPreference
from notifications.selectors import preferences_of, unread_count

pytestmark = pytest.mark.django_db


def notify(membership, **fields):
    return Notification.objects.create(
        recipient=membership.user,
        association=membership.association,
        kind="return_overdue",
        key=f"return_overdue:s:{Notification.objects.count()}",
        subject="s",
        body="b",
        **fields,
    )


def test_reading_is_for_the_recipient_only(member, admin):
    notification = notify(member)
    with pytest.raises(DomainError):
        services.mark_notification_read(user=admin.user, notification=notification)
    services.mark_notification_read(user=member.user, notification=notification)
    first = Notification.objects.get().read_at
    services.mark_notification_read(user=member.user, notification=notification)
    assert Notification.objects.get().read_at == first


def test_unread_count_ignores_what_is_not_shown_in_the_app(member):
    notify(member)
    notify(member, in_app=False)
    notify(member, read_at="2026-01-01T00:00Z")
    assert unread_count(member.user) == 1


def test_essential_kinds_cannot_be_turned_off(member):
    with pytest.raises(DomainError) as error:
        services.set_notification_preferences(
            user=member.user, channels={"return_overdue": (False, False)}
        )
    assert error.value.code == "essential_kind"
    assert not NotificationPreference.objects.exists()


def test_preferences_are_stored_and_read_back(member):
    services.set_notification_preferences(
        user=member.user, channels={"statement_ready": (False, True)}
    )
    services.set_notification_preferences(
        user=member.user, channels={"statement_ready": (False, False)}
    )
    choices = {
        choice.kind.code: (choice.by_email, choice.in_app) for choice in preferences_of(member.user)
    }
    assert choices["statement_ready"] == (False, False)
    assert choices["booking_starts_soon"] == (True, True)
    assert "return_overdue" not in choices
    assert AuditEntry.objects.filter(action="members.notification_preferences").count() == 2


def test_only_an_admin_of_the_association_may_retry(member, admin, outsider):
    failed = notify(member, status="failed")
    with pytest.raises(ForbiddenError):
        services.retry_notification(actor=member, notification=failed)
    with pytest.raises(ForbiddenError):
        services.retry_notification(actor=outsider, notification=failed)
    retried = services.retry_notification(actor=admin, notification=failed)
    assert (retried.status, retried.attempts, retried.next_attempt_at) == ("pending", 0, None)
    audit = AuditEntry.objects.get(action="members.notification_retry")
    assert audit.actor == admin.user


def test_only_a_failure_may_be_retried(member, admin):
    with pytest.raises(ConflictError):
        services.retry_notification(actor=admin, notification=notify(member, status="sending"))
