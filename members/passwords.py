"""What happens when a password is replaced, on every path.

Django calls `password_changed()` of each validator in AUTH_PASSWORD_VALIDATORS when a
user whose password was set with `set_password()` is saved: allauth's change, set and
reset pages, Django's own reset and admin forms, `manage.py changepassword` and the shell
all end there. Hooking there rather than in one view means no path can forget it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from members.lockout import forget_failures
from members.services.api_tokens import revoke_api_tokens


class PasswordReplaced:
    """Not a rule on the password: the hook run when one is replaced (see above). Its help
    text, shown under password fields, says what replacing a password does."""

    def validate(self, password: str, user: Any = None) -> None:
        return None

    def get_help_text(self) -> str:
        return _("A new password signs out the applications that use your API tokens.")

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        # API tokens were issued against the old password: a leaked one dies with it.
        revoke_api_tokens(user=user)
        # Failures were guesses at the old password; the owner must be able to log in.
        forget_failures(user.email)
