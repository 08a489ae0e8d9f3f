"""Forms of the notifications pages: they parse input; rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.selectors import KindChoice

CHANNEL_CHOICES = [
    ("email", _("by e-mail and in the app")),
    ("app", _("in the app only")),
    ("off", _("not at all")),
]
CHANNELS = {"email": (True, True), "app": (False, True), "off": (False, False)}


class NotificationPreferencesForm(forms.Form):
    """One choice per optional kind of notification; the essential ones are always sent."""

    def __init__(self, *args: Any, current: list[KindChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for choice in current:
            initial = "email" if choice.by_email else "app" if choice.in_app else "off"
            self.fields[choice.kind.code] = forms.ChoiceField(
                label=str(choice.kind.label),
                choices=CHANNEL_CHOICES,
                initial=initial,
                widget=forms.RadioSelect,
            )

    def channels(self) -> dict[str, tuple[bool, bool]]:
        return {kind: CHANNELS[value] for kind, value in self.cleaned_data.items()}
