"""Access functions for notifications: 404 for anything that is not the caller's."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from members.models import Membership
from members.permissions import require_admin
from notifications.models import Notification


def get_notification_for_user(user: Any, pk: int) -> Notification:
    """One of the person's own notifications, or 404."""
    notification = Notification.objects.filter(recipient=user, pk=pk).first()
    if notification is None:
        raise Http404
    return notification


def get_notification_for_admin(admin: Membership, pk: int) -> Notification:
    """A notification of the admin's association, or 404; 403 for non-admins."""
    notification = (
        Notification.objects.select_related("recipient")
        .filter(association_id=admin.association_id, pk=pk)
        .first()
    )
    if notification is None:
        raise Http404
    require_admin(admin)
    return notification
