"""A vehicle and who owns it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.bounds import (
    MAX_BOOKING_HOURS,
    MAX_BUFFER_MINUTES,
    MAX_LATE_EXTENSION_HOURS,
    MAX_NOTICE_HOURS,
    MAX_TANK_CAPACITY,
    between,
)
from core.files import private_upload_path
from members.models import Association, Membership
from vehicles.plates import validate_plate
from vehicles.uploads import validate_new_image

# A usual, rather large tank or battery when the owner has not said (litres; kWh for an
# electric car): an LPG car carries a petrol tank too.
ENERGY_CAPACITY = {"petrol": 60, "diesel": 70, "electric": 80, "hybrid": 50, "lpg": 100}


class Vehicle(models.Model):
    class Energy(models.TextChoices):
        PETROL = "petrol", _("petrol")
        DIESEL = "diesel", _("diesel")
        ELECTRIC = "electric", _("electric")
        HYBRID = "hybrid", _("hybrid")
        LPG = "lpg", _("LPG")

    class Gearbox(models.TextChoices):
        MANUAL = "manual", _("manual")
        AUTOMATIC = "automatic", _("automatic")

    class KeyMode(models.TextChoices):
        HAND_TO_HAND = "hand", _("keys handed over every time")
        SPARE_KEY = "spare", _("the driver keeps a spare key; papers at an agreed place")

    class OwnerKind(models.TextChoices):
        MEMBER = "member", _("a member")
        CO_OWNERS = "co_owners", _("co-owners")
        ASSOCIATION = "association", _("the association")
        COMMUNE = "commune", _("the commune")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="vehicles")
    name = models.CharField(_("name"), max_length=80)
    make = models.CharField(_("make"), max_length=80)
    model = models.CharField(_("model"), max_length=80)
    plate = models.CharField(_("registration plate"), max_length=12, validators=[validate_plate])
    first_registered_on = models.DateField(_("first registration"), null=True, blank=True)
    energy = models.CharField(_("energy"), max_length=10, choices=Energy.choices)
    gearbox = models.CharField(
        _("gearbox"), max_length=10, choices=Gearbox.choices, default=Gearbox.MANUAL
    )
    seats = models.PositiveSmallIntegerField(
        _("seats"), default=5, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    photo = models.FileField(
        _("photo"),
        upload_to=private_upload_path,
        validators=[validate_new_image],
        blank=True,
    )
    # Private like every upload; shown on the association's public page only when chosen.
    photo_public = models.BooleanField(
        _("show the photo on the association's public page"),
        default=False,
        help_text=_("Anyone may then see it. Choose a photo that shows no plate, face or house."),
    )
    parking_place = models.CharField(_("home parking place"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
    )
    key_mode = models.CharField(
        _("keys and papers"), max_length=10, choices=KeyMode.choices, default=KeyMode.HAND_TO_HAND
    )
    key_arrangement = models.TextField(_("where the spare key and the papers are kept"), blank=True)
    accessories = models.TextField(_("accessories inventory"), blank=True)
    usage_rules = models.TextField(_("usage rules"), blank=True)
    # Bounds what a driver may claim for fuel or charging in one trip (bookings.receipts);
    # empty: a usual figure for the energy (ENERGY_CAPACITY).
    tank_capacity = models.PositiveSmallIntegerField(
        _("tank (litres) or battery (kWh) capacity"),
        null=True,
        blank=True,
        validators=between(1, MAX_TANK_CAPACITY),
        help_text=_("Leave empty for a usual figure for its energy."),
    )
    usual_radius_km = models.PositiveIntegerField(
        _("usual radius (km)"), default=100, validators=between(1, 2000)
    )
    is_active = models.BooleanField(_("active"), default=True)
    owner_kind = models.CharField(
        _("owned by"), max_length=12, choices=OwnerKind.choices, default=OwnerKind.MEMBER
    )
    registration_holder = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("main holder of the registration certificate"),
    )
    approval_required = models.BooleanField(_("bookings need the owner's approval"), default=False)
    drivers_restricted = models.BooleanField(_("only the listed drivers may book"), default=False)
    allowed_drivers = models.ManyToManyField(
        Membership, blank=True, related_name="allowed_vehicles", verbose_name=_("allowed drivers")
    )
    min_notice_hours = models.PositiveIntegerField(
        _("minimum notice (hours)"), default=0, validators=between(0, MAX_NOTICE_HOURS)
    )
    max_booking_hours = models.PositiveIntegerField(
        _("maximum booking length (hours)"),
        null=True,
        blank=True,
        validators=between(1, MAX_BOOKING_HOURS),
    )
    buffer_minutes = models.PositiveIntegerField(
        _("buffer between bookings (minutes)"),
        default=0,
        validators=between(0, MAX_BUFFER_MINUTES),
    )
    max_late_extension_hours = models.PositiveSmallIntegerField(
        _("a late return extends a booking by at most (hours)"),
        default=24,
        validators=between(1, MAX_LATE_EXTENSION_HOURS),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "plate"], name="vehicle_plate_unique_in_association"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="vehicle_coordinates_both_or_none",
            ),
            models.CheckConstraint(
                condition=Q(seats__gte=1) & Q(seats__lte=9), name="vehicle_seats_range"
            ),
            models.CheckConstraint(
                condition=Q(max_booking_hours__isnull=True) | Q(max_booking_hours__gt=0),
                name="vehicle_max_booking_positive",
            ),
            # The booking rules feed timedelta arithmetic: bounded whoever writes them.
            models.CheckConstraint(
                condition=Q(min_notice_hours__lte=MAX_NOTICE_HOURS)
                & Q(buffer_minutes__lte=MAX_BUFFER_MINUTES)
                & Q(max_late_extension_hours__gte=1)
                & Q(max_late_extension_hours__lte=MAX_LATE_EXTENSION_HOURS)
                & (Q(max_booking_hours__isnull=True) | Q(max_booking_hours__lte=MAX_BOOKING_HOURS)),
                name="vehicle_booking_rules_bounded",
            ),
            models.CheckConstraint(
                condition=Q(tank_capacity__isnull=True)
                | (Q(tank_capacity__gte=1) & Q(tank_capacity__lte=MAX_TANK_CAPACITY)),
                name="vehicle_tank_capacity_range",
            ),
        ]
        indexes = [
            # the fleet page and availability: active vehicles of one association
            models.Index(fields=["association", "is_active"], name="vehicle_assoc_active"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.plate})"

    @property
    def capacity(self) -> int:
        """The tank (litres) or battery (kWh), as recorded or usual for the energy."""
        return self.tank_capacity or ENERGY_CAPACITY[self.energy]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if (self.latitude is None) != (self.longitude is None):
            missing = "latitude" if self.latitude is None else "longitude"
            errors[missing] = _("Enter both the latitude and the longitude, or neither.")
        if self.key_mode == self.KeyMode.SPARE_KEY and not self.key_arrangement.strip():
            errors["key_arrangement"] = _(
                "Describe where the spare key and the papers are kept, as the agreement says."
            )
        if errors:
            raise ValidationError(errors)


class VehicleOwnership(models.Model):
    """A member's share of a vehicle: one row at 100 for a single owner, several for
    co-owners. Association- and commune-owned vehicles have none."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="ownerships")
    owner = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="vehicle_ownerships"
    )
    share = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        verbose_name = _("ownership share")
        verbose_name_plural = _("ownership shares")
        constraints = [
            models.UniqueConstraint(fields=["vehicle", "owner"], name="ownership_one_per_owner"),
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=100), name="ownership_share_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.share} % {self.vehicle}"
