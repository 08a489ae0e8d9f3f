"""Forms of the members pages: they parse input; rules live in the services."""

from __future__ import annotations

import re
import time
from typing import Any

from django import forms
from django.core import signing
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.files import validate_upload
from members.models import Association, Membership, User
from members.selectors import MemberFilters
from members.services.associations import (
    DETAIL_FIELDS,
    EDITABLE_FIELDS,
    PUBLIC_FIELDS,
    RULE_FIELDS,
)
from members.services.profiles import PROFILE_FIELDS, DriverData, PostalAddress
from members.validators import validate_postcode

LINK_RE = re.compile(r"https?://|www\.", re.IGNORECASE)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class CheckboxBeforeLabel:
    """Checkboxes rendered before their label, as people expect them."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.BooleanField):
                # Field.template_name exists since Django 5.0; the stubs lag behind.
                field.template_name = "members/forms/checkbox_field.html"  # type: ignore[attr-defined]


STATUS_FILTERS = [
    ("current", _("current members")),
    *Membership.Status.choices,
    ("all", _("all, including former members")),
]


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTERS, required=False)
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("any role")), *Membership.Role.choices], required=False
    )
    young = forms.BooleanField(
        label=_("Young drivers"),
        required=False,
        help_text=_("Under 21, licence held less than 2 years, or on probation."),
    )
    missing_licence = forms.BooleanField(label=_("Missing licence data"), required=False)

    def filters(self) -> MemberFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return MemberFilters(
            q=data.get("q", ""),
            status=data.get("status") or "current",
            role=data.get("role", ""),
            young=data.get("young", False),
            missing_licence=data.get("missing_licence", False),
        )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the person will read it)"), widget=forms.Textarea, max_length=2000
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class FeeForm(forms.Form):
    fee_paid_until = forms.DateField(label=_("Fee paid until"), required=False, widget=DateInput())


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        if file.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is too large (at most 2 MB)."))
        return file


class ImportConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)


class AssociationForm(CheckboxBeforeLabel, forms.ModelForm):
    # Longer than the stored, compact IBAN: people type it in groups of four.
    iban = forms.CharField(label=_("Association's IBAN"), max_length=50, required=False)
    FIELDSETS = (
        ("details", _("The association"), DETAIL_FIELDS),
        ("rules", _("Rules for the members"), RULE_FIELDS),
        ("public", _("Public page"), PUBLIC_FIELDS),
    )

    class Meta:
        model = Association
        fields = EDITABLE_FIELDS
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "commune_address": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def fieldsets(self) -> list[tuple[str, Any, list[forms.BoundField]]]:
        return [
            (key, legend, [self[name] for name in names]) for key, legend, names in self.FIELDSETS
        ]


class AddressForm(forms.Form):
    """A postal address: the service checks that the three parts go together."""

    street = forms.CharField(
        label=_("Street address"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=5,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    town = forms.CharField(
        label=_("Town"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )

    def address(self) -> PostalAddress:
        data = self.cleaned_data
        return PostalAddress(data["street"], data["postcode"], data["town"])


class ProfileForm(AddressForm):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=User.Language.choices)
    # The recorded IBAN is never sent back to the browser: the page shows it masked, and
    # this field only takes a new one.
    iban = forms.CharField(
        label=_("New IBAN"),
        max_length=50,
        required=False,
        help_text=_("Where the association pays you back. Left empty, the IBAN stays as it is."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    remove_iban = forms.BooleanField(label=_("Delete the recorded IBAN"), required=False)
    field_order = [
        "first_name",
        "last_name",
        "phone",
        "street",
        "postcode",
        "town",
        "language",
        "iban",
        "remove_iban",
    ]

    def profile(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS}

    def new_iban(self) -> str | None:
        """The IBAN to record ("" to delete it), None to leave it as it is."""
        if self.cleaned_data["remove_iban"]:
            return ""
        return self.cleaned_data["iban"] or None


class DriverProfileForm(CheckboxBeforeLabel, forms.Form):
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput())
    birth_place = forms.CharField(
        label=_("Place of birth"),
        max_length=120,
        required=False,
        help_text=_("Town, and département or country (the designation of a driver needs it)."),
    )
    licence_number = forms.CharField(label=_("Licence number"), max_length=40, required=False)
    licence_issued_on = forms.DateField(
        label=_("Licence issue date"), required=False, widget=DateInput()
    )
    licence_issued_by = forms.CharField(
        label=_("Issuing authority"), max_length=120, required=False
    )
    licence_expires_on = forms.DateField(
        label=_("Licence expiry date (if any)"), required=False, widget=DateInput()
    )
    accompanied_driving = forms.BooleanField(
        label=_("I learnt with accompanied driving (AAC)"), required=False
    )
    post_licence_training = forms.BooleanField(
        label=_("I completed the post-licence training"), required=False
    )
    licence_scan = forms.FileField(
        label=_("Licence scan (image or PDF)"),
        required=False,
        help_text=_("Optional. Seen only by you and the administrators of your associations."),
    )
    remove_scan = forms.BooleanField(label=_("Delete the stored scan"), required=False)

    def __init__(self, *args: Any, has_scan: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_scan:
            del self.fields["remove_scan"]

    def clean_licence_scan(self) -> Any:
        # Checked here too, so that a bad file refuses the whole form before any save.
        scan = self.cleaned_data.get("licence_scan")
        if scan:
            validate_upload(scan)
        return scan

    def driver_data(self) -> DriverData:
        data = self.cleaned_data
        return DriverData(
            birth_date=data["birth_date"],
            birth_place=data["birth_place"].strip(),
            licence_number=data["licence_number"].strip(),
            licence_issued_on=data["licence_issued_on"],
            licence_issued_by=data["licence_issued_by"].strip(),
            licence_expires_on=data["licence_expires_on"],
            accompanied_driving=data["accompanied_driving"],
            post_licence_training=data["post_licence_training"],
        )


class JoinForm(forms.Form):
    message = forms.CharField(
        label=_("A word for the administrators (optional)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )


class NewAccountForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Wrong password."))
        return password


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return obj.user.display_name


class HouseholdForm(forms.Form):
    other = MemberChoiceField(
        label=_("Member who shares my tax household"), queryset=Membership.objects.none()
    )

    def __init__(self, *args: Any, choices: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["other"]
        assert isinstance(field, MemberChoiceField)  # noqa: S101 - narrows the type
        field.queryset = choices


# --- Founding and the public pages ------------------------------------------------------------


class FoundingForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the association"),
        max_length=200,
        help_text=_("For example: Autopartage de Villerouge."),
    )
    commune = forms.CharField(label=_("Commune"), max_length=200)
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=5,
        validators=[validate_postcode],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    address = forms.CharField(
        label=_("Address of the seat"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Often the town hall or a founder's home; the statutes print it."),
    )
    contact_email = forms.EmailField(
        label=_("Contact e-mail address"),
        help_text=_("Seen by the members only; the public page has a contact form instead."),
    )
    slug = forms.CharField(
        label=_("Short name in addresses (optional)"),
        max_length=60,
        required=False,
        help_text=_("Leave empty to make it from the name; it cannot be changed later."),
    )


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Commune or name"), max_length=100, required=False)
    postcode = forms.RegexField(
        label=_("Postcode or department"),
        regex=r"^[0-9]{2,5}$",
        required=False,
        error_messages={"invalid": _("Enter 2 to 5 digits, for example 63 or 63000.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


# Anti-spam of the contact form, without any remote service: a field people never see
# (hidden by the stylesheet) that robots fill in, and a signed time of display (a form
# sent back within MIN_SECONDS, or after MAX_AGE, was not typed by a person).
CONTACT_SALT = "members.contact-form"
CONTACT_MIN_SECONDS = 3
CONTACT_MAX_AGE = 2 * 24 * 3600
CONTACT_MAX_LINKS = 2


def contact_form_stamp(slug: str) -> str:
    return signing.dumps({"a": slug, "t": int(time.time())}, salt=CONTACT_SALT)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=100)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("The administrators answer you at this address; nobody else sees it."),
    )
    message = forms.CharField(
        label=_("Your message"), min_length=10, max_length=2000, widget=forms.Textarea
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, slug: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slug = slug
        self.fields["stamp"].initial = contact_form_stamp(slug)
        self.fields["message"].widget.attrs["rows"] = 6

    def clean_message(self) -> str:
        message = str(self.cleaned_data["message"]).strip()
        if len(LINK_RE.findall(message)) > CONTACT_MAX_LINKS:
            raise forms.ValidationError(
                _("At most %(count)s links per message, please.") % {"count": CONTACT_MAX_LINKS}
            )
        return message

    def looks_automated(self) -> bool:
        """Robots fill in the hidden field, send the form at once or replay an old one."""
        if self.cleaned_data.get("website"):
            return True
        try:
            stamp = signing.loads(
                self.cleaned_data.get("stamp", ""), salt=CONTACT_SALT, max_age=CONTACT_MAX_AGE
            )
        except signing.BadSignature:
            return True
        shown_at = int(stamp.get("t", 0)) if isinstance(stamp, dict) else 0
        return stamp.get("a") != self.slug or time.time() - shown_at < CONTACT_MIN_SECONDS
