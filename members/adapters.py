"""django-allauth adapter: new accounts take the language the person was browsing in; the
client address and the lockout are the platform's own (core.clientip, members.lockout)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from django.http import HttpRequest
from django.utils import translation

from core.clientip import client_ip
from members.lockout import is_locked_out, lockout_response
from members.models import User


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> User:
        language = translation.get_language() or User.Language.FRENCH
        user.language = language[:2] if language[:2] in User.Language.values else "fr"
        saved: User = super().save_user(request, user, form, commit=commit)
        return saved

    def get_client_ip(self, request: HttpRequest) -> str:
        """The address allauth's rate limits count by: the same as every other limit's."""
        return client_ip(request)

    def login(self, request: HttpRequest, user: Any) -> None:
        """No session for a locked-out account, even by a path that asks no password (the
        e-mail confirmation link): every allauth log-in ends here."""
        if is_locked_out(request, user.email):
            raise ImmediateHttpResponse(lockout_response(request))
        super().login(request, user)
