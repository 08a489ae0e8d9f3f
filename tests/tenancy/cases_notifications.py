"""Notifications URL patterns: the person's notifications, the background-jobs page, API."""

from __future__ import annotations

from typing import Any

from notifications.models import Notification
from tests.tenancy.registry import Access, Case, slug_only


def _own_notification(world: Any) -> Notification:
    return Notification.objects.create(
        recipient=world.member.user,
        association=world.association,
        kind="fee_renewal",
        key="fee_renewal:tenancy",
        subject="Cotisation",
        body="Bonjour",
    )


def _failed_notification(world: Any) -> Notification:
    return Notification.objects.create(
        recipient=world.member.user,
        association=world.association,
        kind="licence_expiring",
        key="licence_expiring:tenancy",
        subject="Permis",
        body="Bonjour",
        status=Notification.Status.FAILED,
        last_error="SMTPRecipientsRefused: 550",
    )


BUILDERS = {
    "own_notification": _own_notification,
    "failed_notification": _failed_notification,
}


def _own_notification_pk(world: Any) -> dict[str, Any]:
    return {"pk": world.own_notification.pk}


def _failed_notification_pk(world: Any) -> dict[str, Any]:
    return {"slug": world.association.slug, "pk": world.failed_notification.pk}


POST = ("POST",)

CASES = {
    # Association pages
    "jobs:background_jobs": Case(Access.ADMIN, slug_only),
    "jobs:notification_retry": Case(Access.ADMIN, _failed_notification_pk, methods=POST),
    # The person's own pages (whatever their associations)
    "notifications:list": Case(Access.AUTHENTICATED),
    "notifications:read_all": Case(Access.AUTHENTICATED, methods=POST),
    "notifications:preferences": Case(Access.AUTHENTICATED, methods=("GET", "POST")),
    "notifications:read": Case(Access.OWN, _own_notification_pk, methods=POST),
    # API
    "api-me-notifications": Case(Access.AUTHENTICATED, api=True),
    "api-me-notification-read": Case(Access.OWN, _own_notification_pk, methods=POST, api=True),
}
