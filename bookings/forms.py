"""Forms of the booking pages. They parse input; the services decide."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bookings.documents import FineNotice
from bookings.models import MAX_RECEIPT_AMOUNT, BookingSeries
from bookings.slots import EARLIEST, LATEST
from core.bounds import MAX_ODOMETER_KM
from members.models import Association, Membership
from vehicles.models import Vehicle

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time in the association's zone (activated for the request)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=[LOCAL_FORMAT, "%Y-%m-%d %H:%M"], **kwargs)

    def clean(self, value: Any) -> dt.datetime | None:
        moment = super().clean(value)
        if moment is not None and not EARLIEST <= moment < LATEST:
            raise ValidationError(_("Give a date between the years 2000 and 2099."))
        return moment


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos at once (each checked by the service with core.files.validate_upload)."""

    widget = MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"})

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data]
        return [super(PhotosField, self).clean(item, initial) for item in files if item]


def vehicle_choices(association: Association) -> Any:
    return Vehicle.objects.filter(association=association, is_active=True).order_by("name")


class SlotForm(forms.Form):
    start = LocalDateTimeField(label=_("From"))
    end = LocalDateTimeField(label=_("To"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The end must be after the start."))
        return data


class BookingForm(SlotForm):
    vehicle = forms.ModelChoiceField(label=_("Vehicle"), queryset=Vehicle.objects.none())
    note = forms.CharField(
        label=_("Purpose, destination"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    estimated_km = forms.IntegerField(
        label=_("Estimated km"), required=False, min_value=0, max_value=10_000
    )
    deductible_accepted = forms.BooleanField(
        label=_("I accept the higher deductible stated above"), required=False
    )
    field_order = ["vehicle", "driver", "start", "end", "note", "estimated_km"]

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vehicle_field = self.fields["vehicle"]
        assert isinstance(vehicle_field, forms.ModelChoiceField)  # noqa: S101 - narrowing
        vehicle_field.queryset = vehicle_choices(membership.association)
        if membership.is_admin:
            self.fields["driver"] = forms.ModelChoiceField(
                label=_("Driver"),
                queryset=Membership.objects.filter(
                    association=membership.association, status=Membership.Status.ACTIVE
                )
                .select_related("user")
                .order_by("user__first_name", "user__last_name"),
                initial=membership.pk,
            )
            self.order_fields(self.field_order)


class ChangeForm(SlotForm):
    """A booking's new times and car (prefilled with the current ones)."""

    vehicle = forms.ModelChoiceField(label=_("Vehicle"), queryset=Vehicle.objects.none())
    field_order = ["vehicle", "start", "end"]

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vehicle_field = self.fields["vehicle"]
        assert isinstance(vehicle_field, forms.ModelChoiceField)  # noqa: S101 - narrowing
        vehicle_field.queryset = vehicle_choices(membership.association)
        self.order_fields(self.field_order)


class WaitingForm(ChangeForm):
    """The taken slot a member waits for (car and times, from the refused booking form)."""


class SeriesForm(ChangeForm):
    """The first occurrence (car and times), how often and how many times."""

    every = forms.ChoiceField(label=_("Repeat"), choices=BookingSeries.Every.choices)
    count = forms.IntegerField(
        label=_("Number of occurrences"), min_value=1, max_value=BookingSeries.MAX_OCCURRENCES
    )
    note = forms.CharField(
        label=_("Purpose, destination"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    field_order = ["vehicle", "start", "end", "every", "count", "note"]


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class LateReturnForm(forms.Form):
    new_end = LocalDateTimeField(label=_("I will bring it back at"))


class AvailabilityForm(SlotForm):
    seats = forms.IntegerField(
        label=_("Seats (at least)"), required=False, min_value=1, max_value=9
    )
    electric = forms.BooleanField(label=_("Electric only"), required=False)
    gearbox = forms.ChoiceField(
        label=_("Gearbox"),
        required=False,
        choices=[("", _("any")), *Vehicle.Gearbox.choices],
    )


def odometer_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_ODOMETER_KM,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def level_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=100)


class CheckOutForm(forms.Form):
    odometer = odometer_field(_("Odometer (km)"))
    fuel_level = level_field(_("Fuel or charge level (%)"))
    condition = forms.CharField(
        label=_("Remarks on condition"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    gap_explanation = forms.CharField(
        label=_("Explanation of an odometer gap"),
        required=False,
        max_length=2000,
        help_text=_("Only if the odometer differs from the end of the previous trip."),
    )
    photos = PhotosField(label=_("Photos (optional)"), required=False)


class CheckInForm(forms.Form):
    odometer = odometer_field(_("Odometer (km)"))
    fuel_level = level_field(_("Fuel or charge level (%)"))
    parked_at = forms.CharField(label=_("Where the car is parked"), max_length=255)
    damage = forms.CharField(
        label=_("Damage report"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Leave empty when there is no damage."),
    )
    damage_photos = PhotosField(label=_("Photos of the damage"), required=False)
    photos = PhotosField(label=_("Photos at return (optional)"), required=False)


class ReceiptForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Receipt amount (€)"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=MAX_RECEIPT_AMOUNT,
        max_digits=8,
        decimal_places=2,
    )
    date = forms.DateField(
        label=_("Receipt date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    photo = forms.FileField(
        label=_("Photo of the receipt"),
        required=False,
        help_text=_(
            "Without a photo, or above the association's threshold, the receipt is refunded "
            "once an owner of the car or an administrator approves it."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("amount") is not None and data.get("date") is None:
            self.add_error("date", _("Give the receipt's date."))
        return data


ReceiptFormSet = forms.formset_factory(ReceiptForm, extra=2, max_num=10, absolute_max=10)


class WhoDroveForm(forms.Form):
    vehicle = forms.ModelChoiceField(label=_("Vehicle"), queryset=Vehicle.objects.none())
    moment = LocalDateTimeField(label=_("Date and time of the offence"))

    def __init__(self, *args: Any, vehicles: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vehicle"].queryset = vehicles  # type: ignore[attr-defined]


class DesignationForm(forms.Form):
    """The fine's notice, as printed on the letter that designates the driver."""

    moment = LocalDateTimeField(label=_("Date and time of the offence"))
    notice_number = forms.CharField(label=_("Notice number"), max_length=40)
    place = forms.CharField(label=_("Place of the offence"), max_length=200)
    offence = forms.CharField(label=_("Offence"), max_length=200)

    def notice(self) -> FineNotice:
        return FineNotice(**self.cleaned_data)


class AnnouncementForm(forms.Form):
    audience = forms.ChoiceField(label=pgettext_lazy("announcement", "To"))
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(
        label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["audience"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - narrows the type
        field.choices = choices
