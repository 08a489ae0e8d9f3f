"""Forms of the owner's-time page: a blocked period (once, or repeated), a monthly cap."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from bookings.forms import LocalDateTimeField, SlotForm
from bookings.models_owner_time import MAX_HOURS_PER_MONTH, WORKING_DAYS
from core.timeutils import local_today, make_local
from members.models import Membership
from vehicles.models import Vehicle

WEEKDAY_CHOICES = [(str(day), name) for day, name in WEEKDAYS.items()]


def weekday_mask(days: list[str]) -> int:
    """The bit mask of the chosen weekdays (Monday is bit 0)."""
    return sum(1 << int(day) for day in set(days))


def weekdays_of(mask: int) -> list[int]:
    return [day for day in range(7) if mask & (1 << day)]


class BlockForm(SlotForm):
    start = LocalDateTimeField(
        label=_("From"), help_text=_("For a repeated period: the first one.")
    )
    end = LocalDateTimeField(label=_("To"))
    weekdays = forms.MultipleChoiceField(
        label=_("Repeat every"),
        choices=WEEKDAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for a single period."),
    )
    repeat_until = forms.DateField(
        label=_("Until (included, optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(label=_("Reason (shown to drivers)"), required=False, max_length=200)

    @staticmethod
    def initial_for(tz: ZoneInfo) -> dict[str, Any]:
        """The usual case: weekday mornings, 07:30 to 09:00, from tomorrow."""
        tomorrow = local_today(tz) + dt.timedelta(days=1)
        return {
            "start": make_local(tomorrow, dt.time(7, 30), tz),
            "end": make_local(tomorrow, dt.time(9), tz),
            "weekdays": [str(day) for day in weekdays_of(WORKING_DAYS)],
        }

    def mask(self) -> int:
        return weekday_mask(self.cleaned_data["weekdays"])


class CapForm(forms.Form):
    driver = forms.ModelChoiceField(
        label=_("Driver"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("every driver who does not own the car"),
    )
    hours_per_month = forms.IntegerField(
        label=_("Hours per month at most"), min_value=1, max_value=MAX_HOURS_PER_MONTH
    )

    def __init__(self, *args: Any, vehicle: Vehicle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["driver"].queryset = (  # type: ignore[attr-defined]
            Membership.objects.filter(
                association_id=vehicle.association_id, status=Membership.Status.ACTIVE
            )
            .exclude(vehicle_ownerships__vehicle=vehicle)
            .select_related("user")
            .order_by("user__first_name", "user__last_name")
        )
