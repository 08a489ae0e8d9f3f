"""E-mails of the members app, sent after commit with Django's mail API."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation

from members.models import Invitation, User
from members.tokens import invitation_token

logger = logging.getLogger(__name__)


def invitation_language(email: str) -> str:
    """The invitee's language if they already have an account, else French."""
    language = User.objects.filter(email__iexact=email).values_list("language", flat=True).first()
    return language or User.Language.FRENCH


def send_invitation_email(invitation_id: int) -> None:
    """Send (or send again) an invitation; a mail server failure is logged, not raised,
    because the invitation is committed and the admin can send it again from its page."""
    invitation = (
        Invitation.objects.select_related("association", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is None:
        return
    with translation.override(invitation_language(invitation.email)):
        subject, body = _render_invitation(invitation)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    except Exception:
        logger.exception("invitation %s: the e-mail could not be sent", invitation.pk)


def _render_invitation(invitation: Invitation) -> tuple[str, str]:
    association = invitation.association
    link = settings.SITE_URL + reverse(
        "account:invitation", kwargs={"token": invitation_token(invitation)}
    )
    context = {
        "association": association,
        "inviter": invitation.invited_by.display_name if invitation.invited_by else "",
        "link": link,
        "is_admin": invitation.role == "admin",
        "prefilled": bool(invitation.prefill),
        "expires": formats.date_format(
            timezone.localtime(invitation.expires_at, association.tz), "DATE_FORMAT"
        ),
    }
    subject = render_to_string("members/emails/invitation_subject.txt", context).strip()
    body = render_to_string("members/emails/invitation_body.txt", context)
    return " ".join(subject.splitlines()), body
