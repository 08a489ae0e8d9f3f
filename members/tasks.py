"""Background work of the members app: thin tasks that take ids and call a service."""

from __future__ import annotations

from celery import shared_task

from members.emails import send_invitation_email


@shared_task(name="members.send_invitations", ignore_result=True)
def send_invitations(invitation_ids: list[int]) -> None:
    """Send these invitations (a members import); one that was used or withdrawn meanwhile
    is skipped, and a failure is logged: the admin can send it again from its page."""
    for invitation_id in invitation_ids:
        send_invitation_email(invitation_id)
