"""django-allauth adapter: new accounts take the language the person was browsing in."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils import translation

from members.models import User


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> User:
        language = translation.get_language() or User.Language.FRENCH
        user.language = language[:2] if language[:2] in User.Language.values else "fr"
        saved: User = super().save_user(request, user, form, commit=commit)
        return saved
