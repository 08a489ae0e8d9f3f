"""Bookings, trips (check-out and check-in), fuel receipts, trip photos and calendar feeds.

No two blocking bookings of a vehicle overlap: on PostgreSQL an exclusion constraint
(`booking_no_overlap`, created by migration 0002 through `bookings.db`) over
`[start, blocks_until)`; on SQLite the services check and insert inside one IMMEDIATE
transaction. `blocks_until` is the end plus the vehicle's buffer at booking time.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.bounds import MAX_COUNT, MAX_DEDUCTIBLE, MAX_ODOMETER_KM, MAX_VERSION, between
from core.files import private_upload_path, validate_upload
from core.timeutils import real_duration
from members.models import Association, Membership, User
from vehicles.models import Vehicle

# No single fuel or charging receipt reaches this; the trip's ceiling is far lower
# (bookings.receipts).
MAX_RECEIPT_AMOUNT = Decimal("9999.99")


class BookingSeries(models.Model):
    """Bookings repeated every day or every week (the weekly market, a weekly appointment):
    each occurrence is a booking of its own, checked on its own when the series is made."""

    class Every(models.TextChoices):
        DAY = "day", _("every day")
        WEEK = "week", _("every week")

    MAX_OCCURRENCES = 26

    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="booking_series")
    driver = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="booking_series")
    every = models.CharField(_("repeat"), max_length=4, choices=Every.choices)
    count = models.PositiveSmallIntegerField(
        _("occurrences"), validators=between(1, MAX_OCCURRENCES)
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("series of bookings")
        verbose_name_plural = _("series of bookings")
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1) & Q(count__lte=26), name="booking_series_count_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle_id} {self.every} ×{self.count}"


class Booking(models.Model):
    """A driver's booking of a vehicle over [start, end)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        CONFIRMED = "confirmed", _("confirmed")
        REFUSED = "refused", pgettext_lazy("booking", "refused")
        IN_PROGRESS = "in_progress", _("in progress")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    # Statuses that hold the car: two of these never overlap on one vehicle.
    BLOCKING_STATUSES = (Status.REQUESTED, Status.CONFIRMED, Status.IN_PROGRESS)

    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="bookings")
    driver = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="bookings")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    blocks_until = models.DateTimeField(editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    note = models.TextField(_("purpose, destination"), blank=True, max_length=2000)
    estimated_km = models.PositiveIntegerField(
        _("estimated km"), null=True, blank=True, validators=between(0, 10_000)
    )
    accepted_deductible = models.DecimalField(
        _("higher deductible accepted by the driver (€)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=between(Decimal("0"), MAX_DEDUCTIBLE),
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True, max_length=2000)
    cancelled_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(
        _("reason for cancellation"), blank=True, max_length=2000
    )
    # Set on the next booking when the previous driver reports a late return they could
    # not extend into (the car is booked): the next driver sees it on their booking.
    previous_late_until = models.DateTimeField(null=True, blank=True)
    series = models.ForeignKey(
        BookingSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="bookings"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="booking_end_after_start"),
            models.CheckConstraint(
                condition=Q(blocks_until__gte=F("end")), name="booking_blocks_until_after_end"
            ),
        ]
        indexes = [
            # planning, availability and the overlap check: a vehicle's bookings by time
            models.Index(fields=["vehicle", "start"], name="booking_vehicle_start"),
            # my bookings: a driver's bookings by time
            models.Index(fields=["driver", "start"], name="booking_driver_start"),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle} {self.start:%Y-%m-%d %H:%M} → {self.end:%Y-%m-%d %H:%M}"

    @property
    def duration(self) -> dt.timedelta:
        """Real elapsed time: a night across a daylight-saving change lasts 1 hour more or less."""
        return real_duration(self.start, self.end)

    @property
    def is_blocking(self) -> bool:
        return self.status in self.BLOCKING_STATUSES


class WaitingEntry(models.Model):
    """A member waiting for a taken slot of a car ("tell me if this car becomes free"): told
    once, in the order of joining, when a cancelled, refused, shortened or moved booking
    leaves the whole slot free (bookings.services.waiting)."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="waiting_entries")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="waiting_entries")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list entries")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="waiting_end_after_start"),
            # one entry per member per slot while it waits
            models.UniqueConstraint(
                fields=["member", "vehicle", "start", "end"],
                condition=Q(notified_at__isnull=True),
                name="waiting_once_per_member_slot",
            ),
        ]
        indexes = [
            # tell_waiting_members: the entries still waiting on a car, in the order of joining
            models.Index(fields=["vehicle", "notified_at", "created_at"], name="waiting_vehicle"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.vehicle_id} {self.start:%Y-%m-%d %H:%M}"


class Trip(models.Model):
    """What happened with the car during a booking: the logbook line (carnet de bord)."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="trip")
    odometer_out = models.PositiveIntegerField(
        _("odometer at departure (km)"), validators=between(0, MAX_ODOMETER_KM)
    )
    fuel_level_out = models.PositiveSmallIntegerField(
        _("fuel or charge level at departure (%)"), validators=between(0, 100)
    )
    condition_out = models.TextField(_("remarks on condition"), blank=True, max_length=4000)
    checked_out_at = models.DateTimeField()
    checked_out_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The odometer chain: the previous trip's odometer in, and the km between it and this
    # trip's odometer out when they differ (recorded, explained, shown to the admins).
    previous_odometer_in = models.PositiveIntegerField(
        null=True, blank=True, validators=between(0, MAX_ODOMETER_KM)
    )
    odometer_gap_km = models.PositiveIntegerField(
        null=True, blank=True, validators=between(0, MAX_ODOMETER_KM)
    )
    gap_explanation = models.TextField(_("explanation of the gap"), blank=True, max_length=2000)
    odometer_in = models.PositiveIntegerField(
        _("odometer at return (km)"),
        null=True,
        blank=True,
        validators=between(0, MAX_ODOMETER_KM),
    )
    fuel_level_in = models.PositiveSmallIntegerField(
        _("fuel or charge level at return (%)"),
        null=True,
        blank=True,
        validators=between(0, 100),
    )
    damage = models.TextField(_("damage report"), blank=True, max_length=4000)
    parked_at = models.CharField(_("where the car is parked"), max_length=255, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    implausible_km = models.BooleanField(_("implausible distance"), default=False)
    from_paper_logbook = models.BooleanField(_("entered from the paper logbook"), default=False)
    ledger_reference = models.CharField(max_length=80, blank=True)

    class Meta:
        verbose_name = _("trip")
        verbose_name_plural = _("trips")
        constraints = [
            models.CheckConstraint(
                condition=Q(odometer_in__isnull=True) | Q(odometer_in__gte=F("odometer_out")),
                name="trip_odometer_in_not_below_out",
            ),
            models.CheckConstraint(
                condition=Q(fuel_level_out__lte=100)
                & (Q(fuel_level_in__isnull=True) | Q(fuel_level_in__lte=100)),
                name="trip_fuel_level_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking}: {self.odometer_out} → {self.odometer_in or '…'} km"

    @property
    def km(self) -> int | None:
        if self.odometer_in is None:
            return None
        return self.odometer_in - self.odometer_out

    @property
    def is_checked_in(self) -> bool:
        return self.checked_in_at is not None


class TripPhoto(models.Model):
    """A photo taken at departure, at return or of a damage."""

    class Stage(models.TextChoices):
        CHECK_OUT = "out", _("departure")
        CHECK_IN = "in", _("return")
        DAMAGE = "damage", _("damage")

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(max_length=8, choices=Stage.choices)
    file = models.FileField(upload_to=private_upload_path, validators=[validate_upload])
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trip photo")
        verbose_name_plural = _("trip photos")

    def __str__(self) -> str:
        return f"{self.trip_id} {self.stage}"


class FuelReceipt(models.Model):
    """A fuel (or charging) receipt paid by the driver during a trip.

    Money a member declares: bounded by the trip when recorded (bookings.services.receipts),
    and refunded (posted in the ledger) only once approved. A receipt above the association's
    threshold, or without a photo, waits for an owner of the car or an administrator.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", pgettext_lazy("receipt", "refused")

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="fuel_receipts")
    amount = models.DecimalField(
        _("amount (€)"),
        max_digits=8,
        decimal_places=2,
        validators=between(Decimal("0.01"), MAX_RECEIPT_AMOUNT),
    )
    date = models.DateField(_("date"))
    photo = models.FileField(
        _("photo of the receipt"),
        upload_to=private_upload_path,
        validators=[validate_upload],
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # Empty for a receipt approved when recorded (small, with a photo).
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fuel receipt")
        verbose_name_plural = _("fuel receipts")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fuel_receipt_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "refused"]),
                name="fuel_receipt_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="fuel_receipt_refusal_has_reason",
            ),
        ]
        indexes = [
            # the approval queue: the receipts still waiting, a handful at any time
            models.Index(
                fields=["trip"],
                condition=Q(status="pending"),
                name="fuel_receipt_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} € {self.date}"


class CalendarFeed(models.Model):
    """A secret-token iCal feed: a member's bookings, or one vehicle's for its managers."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(vehicle__isnull=True),
                name="calendar_feed_one_member_feed",
            ),
            models.UniqueConstraint(
                fields=["membership", "vehicle"], name="calendar_feed_one_per_vehicle"
            ),
        ]

    def __str__(self) -> str:
        return f"feed {self.membership_id}/{self.vehicle_id or '-'}"


class VehicleBookingsVersion(models.Model):
    """A counter per vehicle that every write to its bookings or to its owners' kept periods
    (Unavailability) increases, whoever writes (database triggers, migration 0007:
    pages, API, admin, bulk inserts, raw SQL alike).

    Cached fragments of calendars are keyed by it, so a booking written, moved or cancelled,
    or a period kept or given back, is never shown stale: the next reader finds a new
    version and renders again."""

    # No database foreign key: the trigger bumps the version of a booking's vehicle also while
    # a flush or a cascade deletes bookings and vehicles in any order (an orphan row is
    # harmless: vehicle ids are not reused).
    vehicle = models.OneToOneField(
        Vehicle,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="bookings_version",
        db_constraint=False,
    )
    version = models.PositiveBigIntegerField(default=0, validators=between(0, MAX_VERSION))

    class Meta:
        verbose_name = _("version of a vehicle's bookings")
        verbose_name_plural = _("versions of the vehicles' bookings")

    def __str__(self) -> str:
        return f"{self.vehicle_id} v{self.version}"


class Announcement(models.Model):
    """The admins write to the members: all of them, the cars' owners, or the drivers of one
    car (bookings.selectors.audiences says who they are). Delivered through the
    notifications outbox, once per member (`delivered_at`: the job queued it)."""

    class Audience(models.TextChoices):
        ALL = "all", _("all the members")
        OWNERS = "owners", _("the cars' owners")
        VEHICLE = "vehicle", _("the drivers of one car")

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="announcements"
    )
    author = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"), max_length=5000)
    audience = models.CharField(_("to"), max_length=10, choices=Audience.choices)
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, null=True, blank=True, related_name="announcements"
    )
    recipients = models.PositiveIntegerField(
        _("recipients"), default=0, validators=between(0, MAX_COUNT)
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("queued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The literals mirror Audience (a nested Meta cannot see it).
            models.CheckConstraint(
                condition=Q(audience="vehicle", vehicle__isnull=False)
                | Q(audience__in=["all", "owners"], vehicle__isnull=True),
                name="announcement_vehicle_iff_vehicle_audience",
            ),
        ]
        indexes = [
            # the history page and the API: an association's announcements, newest first
            models.Index(fields=["association", "-created_at"], name="announcement_assoc"),
            # the delivery job: what is not queued yet
            models.Index(
                fields=["created_at"],
                condition=Q(delivered_at__isnull=True),
                name="announcement_undelivered",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def audience_code(self) -> str:
        """ "all", "owners" or "vehicle:<id>", as the API writes it."""
        if self.audience == self.Audience.VEHICLE:
            return f"vehicle:{self.vehicle_id}"
        return str(self.audience)


# Incidents and the owner's own time have their own modules (this one stays readable);
# importing them here is how Django finds their models.
from bookings.models_incidents import (  # noqa: E402
    Incident,
    IncidentPhoto,
    IncidentReply,
    IncidentSighting,
)
from bookings.models_owner_time import Unavailability, UsageCap  # noqa: E402

__all__ = [
    "MAX_ODOMETER_KM",
    "Announcement",
    "Booking",
    "BookingSeries",
    "CalendarFeed",
    "FuelReceipt",
    "Incident",
    "IncidentPhoto",
    "IncidentReply",
    "IncidentSighting",
    "Trip",
    "TripPhoto",
    "Unavailability",
    "UsageCap",
    "VehicleBookingsVersion",
    "WaitingEntry",
]
