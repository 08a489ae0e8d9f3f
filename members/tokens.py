"""Signed tokens carried by invitation links. The signature stops anyone from guessing a
link from an id; the expiry date is the invitation row's (so an admin can renew it)."""

from __future__ import annotations

from django.core import signing

from members.models import Invitation

_INVITATION_SALT = "members.invitation"


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=_INVITATION_SALT)


def invitation_id_from_token(token: str) -> int | None:
    """The invitation id a token was signed for, or None if it was not signed by us."""
    try:
        value = signing.loads(token, salt=_INVITATION_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
