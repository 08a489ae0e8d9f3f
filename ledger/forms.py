"""Forms of the ledger pages; choices always come from the caller's association."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_AMOUNT, MAX_DEDUCTIBLE
from core.files import validate_upload
from ledger.models import Account, BankLine, Deposit, LedgerTransaction, RecurringExpense
from ledger.models.settings import MAX_AUTO_CLOSE_DAYS
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


def account_key(account: Account) -> str:
    """The party key of an account ("fund", "commune" or "member:<id>"), as forms name it."""
    if account.membership_id is not None:
        return f"member:{account.membership_id}"
    return str(account.kind)


class RecurringExpenseForm(AssociationForm):
    """An insurance instalment, a parking rent…: posted by the platform on each due date."""

    vehicle = forms.ModelChoiceField(
        queryset=Vehicle.objects.none(),
        label=_("Vehicle"),
        required=False,
        empty_label=_("The whole association (no single car)"),
        help_text=_("A group insurance policy concerns no single car: the fund bears it."),
    )
    category = forms.ChoiceField(choices=Txn.Category.choices, label=_("Kind of expense"))
    description = forms.CharField(label=_("Description"), max_length=255)
    amount = amount_field(_("Amount of each occurrence (€)"))
    paid_by = party_field(_("Paid by"))
    frequency = forms.ChoiceField(choices=RecurringExpense.Frequency.choices, label=_("Frequency"))
    starts_on = forms.DateField(label=_("First occurrence"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Last day"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty while the expense goes on."),
    )

    @classmethod
    def initial_for(cls, recurring: RecurringExpense) -> dict[str, Any]:
        """The form's values for an existing recurring expense (its edit page)."""
        return {
            "vehicle": recurring.vehicle,
            "category": recurring.category,
            "description": recurring.description,
            "amount": recurring.amount,
            "paid_by": account_key(recurring.paid_by),
            "frequency": recurring.frequency,
            "starts_on": recurring.starts_on,
            "ends_on": recurring.ends_on,
        }


class LedgerSettingsForm(forms.Form):
    auto_close_days = forms.IntegerField(
        label=_("Close a period by itself after (days)"),
        min_value=0,
        max_value=MAX_AUTO_CLOSE_DAYS,
        required=False,
        help_text=_(
            "Days after the end of a period, time to type in the paper logbook and the "
            "bank's payments. Empty periods close as soon as they are over. Leave empty to "
            "close periods by hand only."
        ),
    )


class SettlePeriodForm(forms.Form):
    """Every transfer of a period's plan recorded as paid, in one submission."""

    period = forms.CharField(widget=forms.HiddenInput, max_length=7)
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)
    method = forms.ChoiceField(choices=Txn.PaymentMethod.choices, label=_("How"))
    paid_on = forms.DateField(label=_("Date"), widget=DateInput())


class BankStatementForm(forms.Form):
    file = forms.FileField(
        label=_("Bank statement (CSV)"),
        help_text=_(
            "The CSV export of your bank's website: separator ';', decimal comma, UTF-8 or "
            "Windows-1252, one amount column or a debit and a credit column."
        ),
    )


class BankLinesForm(forms.Form):
    """One choice per line still to confirm: the member it is from (or to), or none."""

    def __init__(
        self, *args: Any, lines: list[BankLine], association: Association, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        members = list(active_members(association))
        choices = [("", _("— not a member's payment: leave out —"))] + [
            (str(m.pk), m.user.display_name) for m in members
        ]
        self.lines = lines
        for line in lines:
            self.fields[f"line-{line.pk}"] = forms.TypedChoiceField(
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                label=line.label or str(line.amount),
                initial=str(line.suggested_id) if line.suggested_id else "",
            )

    def choices(self) -> dict[int, int | None]:
        return {line.pk: self.cleaned_data.get(f"line-{line.pk}") for line in self.lines}

    def rows(self) -> list[tuple[BankLine, forms.BoundField]]:
        return [(line, self[f"line-{line.pk}"]) for line in self.lines]


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
