"""The whole logbook page: the vehicle once, then one form per line of the paper sheet.

The columns follow the printed sheet (contracts/defaults/logbook.html) in the same order, so
that the admin types (or pastes from a spreadsheet) what they read, left to right.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bookings.forms import LocalDateTimeField, SlotForm, level_field, odometer_field
from bookings.models import MAX_RECEIPT_AMOUNT
from bookings.services.logbook import MAX_LOGBOOK_LINES, LogbookLine
from bookings.services.receipts import ReceiptInput
from bookings.services.trips import Reading
from members.models import Association, Membership
from vehicles.models import Vehicle

# The columns a row pasted from a spreadsheet fills, left to right (photos cannot be pasted).
PASTED_COLUMNS = (
    "driver",
    "start",
    "end",
    "odometer_out",
    "odometer_in",
    "fuel_level",
    "receipt_1",
    "receipt_2",
    "note",
)
RECEIPTS = (("receipt_1", "photo_1"), ("receipt_2", "photo_2"))


def _amount(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal("0.01"),
        max_value=MAX_RECEIPT_AMOUNT,
        max_digits=8,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )


def _photo(label: Any) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )


class LogbookVehicleForm(forms.Form):
    vehicle = forms.ModelChoiceField(label=_("Vehicle"), queryset=Vehicle.objects.none())

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vehicle"].queryset = Vehicle.objects.filter(  # type: ignore[attr-defined]
            association=association, is_active=True
        ).order_by("name")


class LogbookLineForm(SlotForm):
    """One line of the sheet. The odometer at departure may stay empty: it is then the
    odometer at return of the line above (or the vehicle's last reading, for the first)."""

    driver = forms.ModelChoiceField(label=_("Driver"), queryset=Membership.objects.none())
    start = LocalDateTimeField(label=_("Departure"))
    end = LocalDateTimeField(label=pgettext_lazy("trip", "Return"))
    odometer_out = odometer_field(_("Km at departure"))
    odometer_in = odometer_field(_("Km at return"))
    fuel_level = level_field(_("Fuel or charge at return (%)"))
    receipt_1 = _amount(_("Receipt (€)"))
    photo_1 = _photo(_("Photo of the receipt"))
    receipt_2 = _amount(_("Second receipt (€)"))
    photo_2 = _photo(_("Photo of the second receipt"))
    note = forms.CharField(label=_("Remarks"), required=False, max_length=2000)
    gap_explanation = forms.CharField(
        label=_("Explanation of an odometer gap"), required=False, max_length=2000
    )
    override = forms.BooleanField(label=_("Enter despite the rules"), required=False)
    override_reason = forms.CharField(label=_("Why"), required=False, max_length=1000)
    leave_out = forms.BooleanField(label=_("Leave out"), required=False)
    field_order = [*PASTED_COLUMNS[:6], "receipt_1", "photo_1", "receipt_2", "photo_2", "note"]

    def __init__(self, *args: Any, drivers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["driver"].queryset = drivers  # type: ignore[attr-defined]
        self.fields["odometer_out"].required = False
        self.order_fields(self.field_order)
        number = int(self.prefix.rsplit("-", 1)[-1]) + 1 if self.prefix else 1
        for name, field in self.fields.items():
            # The table's headers name the columns; a screen reader also hears the line.
            field.widget.attrs["aria-label"] = _("%(column)s, line %(line)s") % {
                "column": field.label,
                "line": number,
            }
            if name in PASTED_COLUMNS:
                field.widget.attrs["data-column"] = name

    def has_changed(self) -> bool:
        """Filled in when anything but the odometer at departure is: the page copies each
        return into the line below, the empty line after the last trip too."""
        return any(name != "odometer_out" for name in self.changed_data)

    @property
    def left_out(self) -> bool:
        return self.prefix is not None and bool(self.data.get(f"{self.prefix}-leave_out"))

    def full_clean(self) -> None:
        super().full_clean()
        if self.left_out:  # a line the admin leaves out is neither checked nor saved
            self._errors = forms.utils.ErrorDict()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        out, back = data.get("odometer_out"), data.get("odometer_in")
        if out is not None and back is not None and back < out:
            self.add_error("odometer_in", _("The odometer at return cannot be lower."))
        for amount, photo in RECEIPTS:
            if data.get(photo) and data.get(amount) is None:
                self.add_error(amount, _("Give the amount of the receipt in the photo."))
        return data


if TYPE_CHECKING:
    _FormSet = forms.BaseFormSet[LogbookLineForm]
else:  # the class is generic for the type checker only
    _FormSet = forms.BaseFormSet


class BaseLogbookFormSet(_FormSet):
    def __init__(self, *args: Any, drivers: Any, **kwargs: Any) -> None:
        self.drivers = drivers
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"drivers": self.drivers}

    def kept_forms(self) -> list[LogbookLineForm]:
        """The lines to save: filled in and not left out, in the order of the page."""
        return [
            form
            for form in self.forms
            if isinstance(form, LogbookLineForm) and form.has_changed() and not form.left_out
        ]

    def lines(self, *, vehicle: Vehicle, last: Reading | None) -> list[LogbookLine]:
        """The kept lines as the service takes them, the odometer chain filled in: an
        empty odometer at departure is the return of the line above; the level at
        departure is the level at return of the line above (or of the last trip)."""
        lines = []
        for form in self.kept_forms():
            data = form.cleaned_data
            odometer_out = data["odometer_out"]
            if odometer_out is None:
                odometer_out = last.odometer if last else data["odometer_in"]
            level_out = last.fuel_level if last else data["fuel_level"]
            reading_in = Reading(data["odometer_in"], data["fuel_level"])
            lines.append(_line(data, vehicle, Reading(odometer_out, level_out), reading_in))
            last = reading_in
        return lines


def _line(data: dict[str, Any], vehicle: Vehicle, out: Reading, back: Reading) -> LogbookLine:
    day = timezone.localtime(data["end"]).date()
    receipts: Sequence[ReceiptInput] = [
        ReceiptInput(amount=data[amount], date=day, photo=data[photo] or None)
        for amount, photo in RECEIPTS
        if data[amount] is not None
    ]
    return LogbookLine(
        driver=data["driver"],
        vehicle=vehicle,
        start=data["start"],
        end=data["end"],
        reading_out=out,
        reading_in=back,
        note=data["note"],
        gap_explanation=data["gap_explanation"],
        receipts=receipts,
        override=data["override"],
        override_reason=data["override_reason"],
    )


LogbookFormSet: type[BaseLogbookFormSet] = forms.formset_factory(  # type: ignore[assignment]
    LogbookLineForm,
    formset=BaseLogbookFormSet,
    extra=MAX_LOGBOOK_LINES,
    max_num=MAX_LOGBOOK_LINES,
    absolute_max=MAX_LOGBOOK_LINES,
    validate_max=True,
)
