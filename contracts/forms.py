"""Forms of the contracts pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from contracts.sandbox import MAX_SOURCE_CHARS
from core.files import validate_upload
from members.models import Association, Membership
from vehicles.models import Vehicle

STATE_CHOICES = [
    ("", _("All")),
    ("to_print", _("To print")),
    ("to_sign", _("To sign")),
    ("to_resign", _("To re-sign")),
    ("signed", _("Signed")),
    ("ended", _("Ended")),
]


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.display_name} ({obj.user.email})"


class AgreementFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Status"), choices=STATE_CHOICES, required=False)
    vehicle = forms.ModelChoiceField(
        label=_("Vehicle"), queryset=Vehicle.objects.none(), required=False
    )

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["vehicle"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = Vehicle.objects.filter(association=association).order_by("name")


class NewAgreementForm(forms.Form):
    vehicle = forms.ModelChoiceField(label=_("Vehicle"), queryset=Vehicle.objects.none())
    driver = MemberChoiceField(label=_("Driver"), queryset=Membership.objects.none())

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vehicle = self.fields["vehicle"]
        driver = self.fields["driver"]
        assert isinstance(vehicle, forms.ModelChoiceField)  # noqa: S101 - declared above
        assert isinstance(driver, forms.ModelChoiceField)  # noqa: S101 - declared above
        vehicle.queryset = Vehicle.objects.filter(association=association, is_active=True)
        driver.queryset = (
            Membership.objects.filter(association=association, status=Membership.Status.ACTIVE)
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        )


class SignatureForm(forms.Form):
    signed_on = forms.DateField(
        label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    scan = forms.FileField(
        label=_("Scan of the signed agreement (optional)"),
        required=False,
        validators=[validate_upload],
        help_text=_("PDF or image."),
    )


class TemplateEditForm(forms.Form):
    source = forms.CharField(
        label=_("Template text"),
        max_length=MAX_SOURCE_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "code"}),
    )
    note = forms.CharField(label=_("What changed"), max_length=200, required=False)
    previewed_sha256 = forms.CharField(required=False, widget=forms.HiddenInput)
