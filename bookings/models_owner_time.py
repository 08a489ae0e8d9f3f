"""The owner's own time: periods an owner keeps the car without a booking, and caps on a
driver's use of a car. (Imported by bookings.models, which Django loads.)

They live in bookings because the booking guard (bookings.services.guard) reads them on
every path that creates or moves a booking, and the planning and availability show them.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import between
from members.models import Membership
from vehicles.models import Vehicle

ALL_WEEKDAYS = 0b1111111  # bit 0 is Monday … bit 6 is Sunday (datetime.date.weekday())
WORKING_DAYS = 0b0011111
# A month has at most 744 hours (31 days).
MAX_HOURS_PER_MONTH = 744


class Unavailability(models.Model):
    """A period the car is not lent: one-off [start, end), or repeated on some weekdays.

    A repeated period is stored as its first occurrence (start, end) and the weekdays; every
    occurrence keeps the first one's wall-clock times in the association's zone (07:30–09:00
    stays 07:30–09:00 across a daylight-saving change), until `repeat_until` (a local day,
    included) or for ever. Bookings by the person who blocked the period are not refused
    by it: it is their own time.
    """

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="unavailabilities")
    created_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+", verbose_name=_("blocked by")
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("to"))
    weekdays = models.PositiveSmallIntegerField(
        _("repeated on"), default=0, validators=between(0, ALL_WEEKDAYS)
    )
    repeat_until = models.DateField(_("repeated until"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("period the car is not lent")
        verbose_name_plural = _("periods the car is not lent")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="unavailability_range"),
            models.CheckConstraint(
                condition=Q(weekdays__gte=0, weekdays__lte=ALL_WEEKDAYS),
                name="unavailability_weekdays_mask",
            ),
            models.CheckConstraint(
                condition=Q(weekdays__gt=0) | Q(repeat_until__isnull=True),
                name="unavailability_until_only_when_repeated",
            ),
        ]
        indexes = [
            # the guard, planning and availability: a car's periods by start
            models.Index(fields=["vehicle", "start"], name="unavailability_vehicle_start"),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle_id} {self.start:%Y-%m-%d %H:%M} ({self.weekdays:07b})"

    @property
    def is_repeated(self) -> bool:
        return self.weekdays > 0

    def repeats_on(self, weekday: int) -> bool:
        return bool(self.weekdays & (1 << weekday))


class UsageCap(models.Model):
    """At most `hours_per_month` hours of bookings per local month for one driver of a car,
    or (driver empty) for each driver who does not own it; a driver's own cap wins."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="usage_caps")
    driver = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("driver"),
    )
    hours_per_month = models.PositiveIntegerField(
        _("hours per month at most"),
        validators=between(1, MAX_HOURS_PER_MONTH),
    )
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("monthly cap of a driver")
        verbose_name_plural = _("monthly caps of drivers")
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle", "driver"],
                condition=Q(driver__isnull=False),
                name="usage_cap_one_per_driver",
            ),
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=Q(driver__isnull=True),
                name="usage_cap_one_for_everyone",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_month__gte=1, hours_per_month__lte=MAX_HOURS_PER_MONTH),
                name="usage_cap_hours_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle_id} {self.driver_id or '*'} {self.hours_per_month} h"
