"""Forms of the ledger pages; choices always come from the caller's association."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_AMOUNT, MAX_DEDUCTIBLE
from core.files import validate_upload
from ledger.models import Deposit, LedgerTransaction
from ledger.selectors.presenting import party_name
from members.models import Association, Membership
from vehicles.models import Vehicle

Txn = LedgerTransaction


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def amount_field(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_AMOUNT,
        required=required,
        localize=True,
    )


def party_choices(association: Association) -> list[tuple[str, str]]:
    """The fund, the commune, then the members (active, suspended or gone) by name."""
    members = (
        Membership.objects.filter(association=association)
        .exclude(status__in=[Membership.Status.PENDING, Membership.Status.REFUSED])
        .select_related("user")
    )
    people = sorted(
        ((f"member:{m.pk}", m.user.display_name) for m in members), key=lambda c: c[1].casefold()
    )
    return [
        ("fund", party_name("fund", None, association)),
        ("commune", party_name("commune", None, association)),
        *people,
    ]


def active_members(association: Association) -> Any:
    return (
        Membership.objects.filter(association=association, status=Membership.Status.ACTIVE)
        .select_related("user")
        .order_by("user__first_name", "user__last_name")
    )


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.user.display_name)


class AssociationForm(forms.Form):
    """A form whose choices are limited to one association."""

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.association = association
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
                model = field.queryset.model
                if model is Vehicle:
                    field.queryset = Vehicle.objects.filter(association=association)
                elif model is Membership:
                    field.queryset = active_members(association)
            elif isinstance(field, PartyField):
                field.choices = party_choices(association)


class PartyField(forms.ChoiceField):
    """A party of the association: "fund", "commune" or "member:<id>" (choices set per form)."""


def party_field(label: Any) -> PartyField:
    return PartyField(label=label)


class ExpenseForm(AssociationForm):
    vehicle = forms.ModelChoiceField(queryset=Vehicle.objects.none(), label=_("Vehicle"))
    category = forms.ChoiceField(choices=Txn.Category.choices, label=_("Kind of expense"))
    amount = amount_field(_("Amount (€)"))
    incurred_on = forms.DateField(label=_("Date"), widget=DateInput())
    paid_by = party_field(_("Paid by"))
    description = forms.CharField(label=_("Description"), max_length=255, required=False)
    receipt = forms.FileField(
        label=_("Receipt (PDF or image)"), required=False, validators=[validate_upload]
    )


class FeeForm(AssociationForm):
    label = forms.CharField(
        label=_("For"), max_length=40, help_text=_("The year or month, e.g. 2026 or 2026-11.")
    )
    charged_on = forms.DateField(label=_("Date"), widget=DateInput())
    amount = amount_field(_("Amount (€), if not the association's fee"), required=False)


class PaymentForm(AssociationForm):
    payer = party_field(_("Who paid"))
    payee = party_field(_("Who received"))
    amount = amount_field(_("Amount (€)"))
    method = forms.ChoiceField(choices=Txn.PaymentMethod.choices, label=_("How"))
    paid_on = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class DamageForm(AssociationForm):
    driver = MemberChoiceField(queryset=Membership.objects.none(), label=_("Driver"))
    vehicle = forms.ModelChoiceField(queryset=Vehicle.objects.none(), label=_("Vehicle"))
    kind = forms.ChoiceField(
        choices=[
            (Txn.Kind.DAMAGE, Txn.Kind.DAMAGE.label),
            (Txn.Kind.DEDUCTIBLE, Txn.Kind.DEDUCTIBLE.label),
        ],
        label=_("Charge"),
    )
    amount = amount_field(_("Amount (€)"))
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput())
    description = forms.CharField(label=_("What happened"), max_length=255)


class DepositForm(AssociationForm):
    membership = MemberChoiceField(queryset=Membership.objects.none(), label=_("Member"))
    vehicle = forms.ModelChoiceField(
        queryset=Vehicle.objects.none(), label=_("For the vehicle"), required=False
    )
    amount = amount_field(_("Amount (€)"))
    cheque_number = forms.CharField(label=_("Cheque number"), max_length=40, required=False)
    bank = forms.CharField(label=_("Bank"), max_length=80, required=False)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class DayForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput())


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=200)


class TransferForm(AssociationForm):
    """One transfer of the settlement plan, recorded as paid."""

    payer = party_field(_("Who paid"))
    payee = party_field(_("Who received"))
    amount = amount_field(_("Amount (€)"))
    method = forms.ChoiceField(choices=Txn.PaymentMethod.choices, label=_("How"))
    paid_on = forms.DateField(label=_("Date"), widget=DateInput())


class HandoverForm(forms.Form):
    """The one form of a handover: the signature, the deposit and the remarks."""

    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    scan = forms.FileField(label=_("Scan of the signed agreement (optional)"), required=False)
    deposit_amount = forms.DecimalField(
        label=_("Deposit (€)"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=MAX_DEDUCTIBLE,
        max_digits=10,
        decimal_places=2,
        localize=True,
        help_text=_("Leave empty when no deposit is handed over."),
    )
    deposit_means = forms.ChoiceField(label=_("Paid by"), choices=Deposit.Means.choices)
    cheque_number = forms.CharField(label=_("Cheque number"), max_length=40, required=False)
    bank = forms.CharField(label=_("Bank"), max_length=80, required=False)
    remarks = forms.CharField(
        label=_("Remarks"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Keys, papers, the car's condition: what was said at the handover."),
    )

    def clean_scan(self) -> Any:
        scan = self.cleaned_data.get("scan")
        if scan:
            try:
                validate_upload(scan)
            except forms.ValidationError as error:
                raise forms.ValidationError(error.messages) from None
        return scan
