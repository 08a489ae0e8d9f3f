"""API tokens (django-rest-knox): stored as SHA-512 digests, expiring after
settings.REST_KNOX["TOKEN_TTL"], revoked one by one (log-out) or all at once (password
replaced, account deleted). Issued only to an active account whose address is verified."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from core.errors import ForbiddenError
from members.audit import record_audit
from members.models import User


def issue_api_token(*, user: User) -> str:
    """A new token for `user` (who has just proved their password); returns its secret."""
    if not user.is_active:
        raise ForbiddenError(_("This account is disabled."), code="account_inactive")
    if not _email_verified(user):
        raise ForbiddenError(
            _(
                "Confirm your e-mail address first: follow the link we sent you "
                "(or ask for a new one on the log-in page)."
            ),
            code="email_unverified",
        )
    with transaction.atomic():
        token, secret = AuthToken.objects.create(user=user)
        record_audit(
            action="user.api_token_issued",
            actor=user,
            association=None,
            target=user,
            data={"token": token.digest[:12], "expiry": token.expiry.isoformat()},
        )
    return secret


def revoke_api_token(*, token: AuthToken) -> None:
    """Log-out: this token stops working at once; the person's other tokens stay."""
    label = token.digest[:12]  # the digest is the key, gone once deleted
    with transaction.atomic():
        token.delete()
        record_audit(
            action="user.api_token_revoked",
            actor=token.user,
            association=None,
            target=token.user,
            data={"token": label},
        )


def revoke_api_tokens(*, user: User) -> int:
    """Every token of `user` stops working (password replaced, account deleted)."""
    deleted, _by_model = AuthToken.objects.filter(user=user).delete()
    return deleted


def _email_verified(user: User) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
