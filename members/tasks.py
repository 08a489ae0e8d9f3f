"""Background work of the members app: thin tasks that take ids and call a service."""

from __future__ import annotations

from celery import shared_task

from members.emails import send_invitation_email
from members.notifications.delivery import deliver_due_notifications, deliver_notifications


@shared_task(name="members.send_notifications", ignore_result=True)
def send_notifications(notification_ids: list[int]) -> None:
    """Send these notifications now (each is claimed first: a duplicate task sends nothing)."""
    deliver_notifications(list(notification_ids))


@shared_task(name="members.deliver_due_notifications", ignore_result=True)
def deliver_due() -> None:
    """The outbox sweep: whatever is pending (the broker was down, a retry is due)."""
    deliver_due_notifications()


@shared_task(name="members.send_invitations", ignore_result=True)
def send_invitations(invitation_ids: list[int]) -> None:
    """Send these invitations (a members import); one that was used or withdrawn meanwhile
    is skipped, and a failure is logged: the admin can send it again from its page."""
    for invitation_id in invitation_ids:
        send_invitation_email(invitation_id)
