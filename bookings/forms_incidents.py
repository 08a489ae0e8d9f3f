"""Forms of the incident pages. They parse input; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bookings.forms import LocalDateTimeField, PhotosField, vehicle_choices
from bookings.models import Incident
from bookings.models_incidents import MAX_REPAIR_COST
from core.bounds import MAX_COUNT
from members.models import Association, Membership
from vehicles.models import Vehicle


def text_field(label: Any, *, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def amount_field(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal("0"),
        max_value=MAX_REPAIR_COST,
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )


class IncidentReportForm(forms.Form):
    vehicle = forms.ModelChoiceField(label=_("Vehicle"), queryset=Vehicle.objects.none())
    kind = forms.ChoiceField(label=_("What happened"), choices=Incident.Kind.choices)
    description = text_field(_("Description"))
    occurred_at = LocalDateTimeField(label=_("When (leave empty for now)"), required=False)
    photos = PhotosField(label=_("Photos (optional)"), required=False)
    booking = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_COUNT
    )

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vehicle"].queryset = vehicle_choices(association)  # type: ignore[attr-defined]


class ReplyForm(forms.Form):
    body = text_field(_("Your reply"))


class IncidentPhotosForm(forms.Form):
    photos = PhotosField(label=_("Add photos"))


class AssessForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Incident.Kind.choices)
    repair_cost = amount_field(_("Repair cost (€)"), required=False)
    document_kind = forms.ChoiceField(
        label=_("Document"),
        required=False,
        choices=[("", _("none yet")), *Incident.RepairDocument.choices],
    )
    document = forms.FileField(label=_("Quote or invoice (image or PDF)"), required=False)
    insurer_involved = forms.BooleanField(
        label=_("Declared to the insurer (it pays above the deductible)"), required=False
    )


class SettleForm(forms.Form):
    responsible = forms.ModelChoiceField(
        label=_("Responsible driver"), queryset=Membership.objects.none()
    )
    amount = amount_field(_("Amount charged (€)"))
    draw_deposit = forms.BooleanField(label=_("Cash their deposit cheque"), required=False)
    decision = text_field(_("Decision (the driver reads it)"), required=False, rows=2)

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = (  # type: ignore[attr-defined]
            Membership.objects.filter(association=association)
            .select_related("user")
            .order_by("user__first_name", "user__last_name")
        )


class CloseForm(forms.Form):
    decision = text_field(_("Why (the people involved read it)"), required=False, rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Shown next to the settle form, which has a `decision` field too.
        kwargs.setdefault("auto_id", "id_close_%s")
        super().__init__(*args, **kwargs)


class AlreadyThereForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
