"""Forms of the fleet pages. They validate input; the services write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_AMOUNT, MAX_ODOMETER_KM, MAX_PRICE_PER_KM
from members.models import Association, Membership
from vehicles.calculator import CalculatorInputs
from vehicles.models import InsurancePolicy, MaintenanceEvent, Tariff, Vehicle, VehicleDocument
from vehicles.plates import normalise_plate
from vehicles.services import VEHICLE_FIELDS, OwnershipPlan
from vehicles.services.records import DOCUMENT_FIELDS, MAINTENANCE_FIELDS, POLICY_FIELDS

# More than a car drives in a year (a taxi does about 100,000 km).
MAX_KM_PER_YEAR = Decimal("500000")
UPLOAD_ACCEPT = "image/jpeg,image/png,image/webp,application/pdf"
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def active_members(association: Association) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(association=association, status=Membership.Status.ACTIVE)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "pk")
    )


def _limit_to_members(form: forms.BaseForm, name: str, association: Association) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - a programming error
    field.queryset = active_members(association)


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return obj.user.display_name


class MembersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return obj.user.display_name


VEHICLE_FIELDSETS = (
    (
        _("The vehicle"),
        (
            "name",
            "make",
            "model",
            "plate",
            "first_registered_on",
            "energy",
            "gearbox",
            "seats",
            "tank_capacity",
            "usual_radius_km",
            "photo",
            "photo_public",
            "is_active",
        ),
    ),
    (
        _("Keys and parking"),
        ("key_mode", "key_arrangement", "parking_place", "latitude", "longitude"),
    ),
    (
        _("Booking rules"),
        (
            "approval_required",
            "min_notice_hours",
            "max_booking_hours",
            "buffer_minutes",
            "max_late_extension_hours",
            "drivers_restricted",
            "allowed_drivers",
        ),
    ),
    (_("Accessories and usage rules"), ("accessories", "usage_rules")),
)


class VehicleForm(forms.ModelForm):
    allowed_drivers = MembersChoiceField(
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("allowed drivers"),
        help_text=_("Used only when the car is restricted to the listed drivers."),
    )

    class Meta:
        model = Vehicle
        fields = VEHICLE_FIELDS
        widgets = {
            "first_registered_on": DateInput(),
            "photo": forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
            "key_arrangement": forms.Textarea(attrs={"rows": 3}),
            "accessories": forms.Textarea(attrs={"rows": 3}),
            "usage_rules": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit_to_members(self, "allowed_drivers", association)
        if self.instance.pk:
            self.initial["allowed_drivers"] = list(self.instance.allowed_drivers.all())
        else:
            self.initial.setdefault("approval_required", association.approval_required_default)
            self.initial.setdefault("min_notice_hours", association.default_notice_hours)
        # Pre-filled; left empty, the car keeps its cap (24 h for a new one).
        self.fields["max_late_extension_hours"].required = False

    def clean_plate(self) -> str:
        return normalise_plate(self.cleaned_data.get("plate", ""))

    def clean_max_late_extension_hours(self) -> int:
        value = self.cleaned_data.get("max_late_extension_hours")
        return self.instance.max_late_extension_hours if value is None else int(value)

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in VEHICLE_FIELDSETS]

    def vehicle_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in VEHICLE_FIELDS}


class OwnershipForm(forms.Form):
    owner_kind = forms.ChoiceField(label=_("owned by"), choices=Vehicle.OwnerKind.choices)
    registration_holder = MemberChoiceField(
        queryset=Membership.objects.none(),
        required=False,
        label=_("main holder of the registration certificate"),
        help_text=_("One of the owners, who holds a valid driving licence."),
    )

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit_to_members(self, "registration_holder", association)


class ShareForm(forms.Form):
    owner = MemberChoiceField(queryset=Membership.objects.none(), required=False, label=_("owner"))
    share = forms.DecimalField(
        label=_("share (%)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
    )

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit_to_members(self, "owner", association)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("owner") and data.get("share") is None:
            self.add_error("share", _("Enter this owner's share."))
        if data.get("share") is not None and not data.get("owner"):
            self.add_error("owner", _("Choose the owner of this share."))
        return data


ShareFormSet = forms.formset_factory(ShareForm, extra=2, max_num=20, validate_max=True)


def ownership_plan(form: OwnershipForm, shares: Any) -> OwnershipPlan:
    """The plan from a valid ownership form and its valid share formset."""
    rows = [row.cleaned_data for row in shares.forms if row.cleaned_data.get("owner")]
    return OwnershipPlan(
        owner_kind=form.cleaned_data["owner_kind"],
        shares=tuple((row["owner"], row["share"]) for row in rows),
        registration_holder=form.cleaned_data.get("registration_holder"),
    )


def share_formset(
    association: Association, data: Any = None, vehicle: Vehicle | None = None
) -> Any:
    initial = (
        [{"owner": share.owner, "share": share.share} for share in vehicle.ownerships.all()]
        if vehicle is not None
        else []
    )
    return ShareFormSet(
        data, initial=initial, prefix="shares", form_kwargs={"association": association}
    )


class InsurancePolicyForm(forms.ModelForm):
    """A new policy (a renewal of the current one when there is one). The confirmation box
    stays hidden until the service refused a policy that loosens the current rules."""

    confirm_loosening = forms.BooleanField(
        required=False,
        widget=forms.HiddenInput,
        label=_("I have checked the insurer's paper: these rules are really looser now."),
    )

    class Meta:
        model = InsurancePolicy
        fields = POLICY_FIELDS
        widgets = {
            "valid_from": DateInput(),
            "valid_until": DateInput(),
            "certificate": forms.ClearableFileInput(attrs={"accept": UPLOAD_ACCEPT}),
        }

    def policy_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in POLICY_FIELDS}

    asks_confirmation = False

    def ask_confirmation(self) -> None:
        """Show the confirmation box (unticked: the refusal means it was not ticked); a
        chosen certificate must be chosen again, since browsers do not send a file twice."""
        self.asks_confirmation = True
        self.fields["confirm_loosening"].widget = forms.CheckboxInput()
        if self.files.get(self.add_prefix("certificate")):
            self.add_error("certificate", _("Choose the certificate file again."))


class VehicleDocumentForm(forms.ModelForm):
    class Meta:
        model = VehicleDocument
        fields = DOCUMENT_FIELDS
        widgets = {
            "issued_on": DateInput(),
            "expires_on": DateInput(),
            "file": forms.ClearableFileInput(attrs={"accept": UPLOAD_ACCEPT}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].required = True


class MaintenanceForm(forms.ModelForm):
    paid_by = MemberChoiceField(
        queryset=Membership.objects.none(), required=False, label=_("paid by")
    )

    class Meta:
        model = MaintenanceEvent
        fields = MAINTENANCE_FIELDS
        widgets = {
            "date": DateInput(),
            "receipt": forms.ClearableFileInput(attrs={"accept": UPLOAD_ACCEPT}),
        }

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit_to_members(self, "paid_by", association)


class TariffForm(forms.ModelForm):
    class Meta:
        model = Tariff
        fields = ("valid_from", "price_per_km", "price_per_hour", "daily_hour_cap", "fuel_policy")
        widgets = {"valid_from": DateInput()}


def _amount(
    label: Any, *, places: int = 2, help_text: Any = "", maximum: Decimal = MAX_AMOUNT
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0"),
        max_value=maximum,
        max_digits=12,
        decimal_places=places,
        help_text=help_text,
        initial=Decimal("0"),
    )


class CalculatorForm(forms.Form):
    """The owner's yearly costs and distances; the chosen price and date only to save."""

    insurance = _amount(_("insurance (€ per year)"))
    roadworthiness_test = _amount(_("roadworthiness test (€ per year)"))
    maintenance = _amount(_("maintenance (€ per year)"))
    tyres = _amount(_("tyres (€ per year)"))
    tax = _amount(_("tax (€ per year)"))
    assistance = _amount(_("breakdown assistance (€ per year)"))
    fuel_included = forms.BooleanField(
        label=_("fuel is included in the price per km"), required=False, initial=True
    )
    consumption_per_100km = _amount(
        _("consumption (litres per 100 km)"), places=2, maximum=Decimal("100")
    )
    energy_price = _amount(_("fuel price (€ per litre)"), places=3, maximum=Decimal("10"))
    purchase_value = _amount(_("purchase value (€)"))
    depreciation_km = _amount(
        _("km to full depreciation"),
        places=0,
        help_text=_("After how many km the car is worth nothing (often 150,000 to 200,000)."),
        maximum=Decimal(MAX_ODOMETER_KM),
    )
    own_km = _amount(_("km the owners drive per year"), places=0, maximum=MAX_KM_PER_YEAR)
    shared_km = _amount(_("km expected from sharing per year"), places=0, maximum=MAX_KM_PER_YEAR)
    chosen_price_per_km = forms.DecimalField(
        label=_("price per km to apply (€)"),
        required=False,
        min_value=Decimal("0"),
        max_value=MAX_PRICE_PER_KM,
        max_digits=6,
        decimal_places=3,
        help_text=_("You may round the proposed price, by at most 0.01 €/km upwards."),
    )
    valid_from = forms.DateField(label=_("in force from"), required=False, widget=DateInput())

    def __init__(self, *args: Any, electric: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if electric:
            self.fields["consumption_per_100km"].label = _("consumption (kWh per 100 km)")
            self.fields["energy_price"].label = _("electricity price (€ per kWh)")
            self.fields["fuel_included"].label = _("charging is included in the price per km")

    def inputs(self) -> CalculatorInputs:
        data = self.cleaned_data
        names = CalculatorInputs.__dataclass_fields__
        return CalculatorInputs(**{name: data[name] for name in names})

    def require_saving_fields(self) -> bool:
        """For "save": the chosen price and the start date become required."""
        for name in ("chosen_price_per_km", "valid_from"):
            if self.cleaned_data.get(name) is None:
                self.add_error(name, ValidationError(_("This field is required."), "required"))
        return not self.errors
