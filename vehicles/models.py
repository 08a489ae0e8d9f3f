"""The shared fleet: vehicles, who owns them, their insurance, documents, upkeep and tariff."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import private_upload_path, validate_upload
from members.models import Association, Membership
from vehicles.plates import validate_plate
from vehicles.uploads import validate_image


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
        validators=[validate_upload, validate_image],
        blank=True,
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
    usual_radius_km = models.PositiveIntegerField(
        _("usual radius (km)"), default=100, validators=[MinValueValidator(1)]
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
    min_notice_hours = models.PositiveIntegerField(_("minimum notice (hours)"), default=0)
    max_booking_hours = models.PositiveIntegerField(
        _("maximum booking length (hours)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    buffer_minutes = models.PositiveIntegerField(_("buffer between bookings (minutes)"), default=0)
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
        ]
        indexes = [
            # the fleet page and availability: active vehicles of one association
            models.Index(fields=["association", "is_active"], name="vehicle_assoc_active"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.plate})"

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


class InsurancePolicy(models.Model):
    """A vehicle's insurance; the history is kept, exactly one is active."""

    class Cover(models.TextChoices):
        COMPREHENSIVE = "comprehensive", _("comprehensive")
        THIRD_PARTY = "third_party", _("third-party only")

    class YoungDriverRule(models.TextChoices):
        ALLOWED = "allowed", _("allowed")
        HIGHER_DEDUCTIBLE = "higher_deductible", _("allowed with a higher deductible")
        FORBIDDEN = "forbidden", _("forbidden")

    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.CASCADE, related_name="insurance_policies"
    )
    insurer = models.CharField(_("insurer"), max_length=120)
    policy_number = models.CharField(_("policy number"), max_length=60)
    cover = models.CharField(_("cover"), max_length=15, choices=Cover.choices)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    deductible = models.DecimalField(
        _("deductible (€)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    young_driver_rule = models.CharField(
        _("young drivers"),
        max_length=20,
        choices=YoungDriverRule.choices,
        default=YoungDriverRule.ALLOWED,
    )
    young_driver_deductible = models.DecimalField(
        _("young drivers' deductible (€)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    min_driver_age = models.PositiveSmallIntegerField(_("minimum age"), default=21)
    min_licence_years = models.PositiveSmallIntegerField(_("minimum years of licence"), default=2)
    substitute_policy = models.CharField(
        _("substitute policy for co-drivers (insurer and number)"), max_length=200, blank=True
    )
    certificate = models.FileField(
        _("insurance certificate"),
        upload_to=private_upload_path,
        validators=[validate_upload],
        blank=True,
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("insurance policy")
        verbose_name_plural = _("insurance policies")
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=Q(is_active=True),
                name="insurance_one_active_per_vehicle",
            ),
            models.CheckConstraint(
                condition=~Q(young_driver_rule="higher_deductible")
                | Q(young_driver_deductible__isnull=False),
                name="insurance_higher_deductible_given",
            ),
            models.CheckConstraint(
                condition=~Q(young_driver_rule="higher_deductible")
                | Q(young_driver_deductible__gt=models.F("deductible")),
                name="insurance_young_deductible_higher",
            ),
            models.CheckConstraint(
                condition=Q(deductible__gte=0), name="insurance_deductible_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="insurance_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.insurer} {self.policy_number}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            errors["valid_until"] = _("The policy cannot end before it starts.")
        if self.young_driver_rule == self.YoungDriverRule.HIGHER_DEDUCTIBLE and (
            self.young_driver_deductible is None
            or (self.deductible is not None and self.young_driver_deductible <= self.deductible)
        ):
            errors["young_driver_deductible"] = _(
                "Enter the young drivers' deductible, higher than the usual deductible."
            )
        if errors:
            raise ValidationError(errors)

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class VehicleDocument(models.Model):
    """A paper with an expiry: registration, insurance certificate, roadworthiness test."""

    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("registration certificate")
        INSURANCE_CERTIFICATE = "insurance", _("insurance certificate")
        ROADWORTHINESS = "roadworthiness", _("roadworthiness test certificate")

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(
        _("file"), upload_to=private_upload_path, validators=[validate_upload], blank=True
    )
    issued_on = models.DateField(_("date"), null=True, blank=True)
    expires_on = models.DateField(_("valid until / next due date"), null=True, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vehicle document")
        verbose_name_plural = _("vehicle documents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="roadworthiness") | Q(expires_on__isnull=False),
                name="document_roadworthiness_has_due_date",
            ),
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True)
                | Q(expires_on__isnull=True)
                | Q(expires_on__gte=models.F("issued_on")),
                name="document_expires_after_issue",
            ),
        ]
        indexes = [
            # the expiry scans: documents expiring on a given date
            models.Index(fields=["expires_on"], name="vehicledoc_expires"),
            # status badges: the latest roadworthiness test of each vehicle
            models.Index(fields=["vehicle", "kind", "expires_on"], name="vehicledoc_vehicle_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.vehicle}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.kind == self.Kind.ROADWORTHINESS and self.expires_on is None:
            errors["expires_on"] = _("Enter the date of the next roadworthiness test.")
        if self.issued_on and self.expires_on and self.expires_on < self.issued_on:
            errors["expires_on"] = _("The validity cannot end before the document's date.")
        if errors:
            raise ValidationError(errors)


class MaintenanceEvent(models.Model):
    class Kind(models.TextChoices):
        SERVICE = "service", _("service")
        TYRES = "tyres", _("tyres")
        REPAIR = "repair", _("repair")
        ROADWORTHINESS = "roadworthiness", _("roadworthiness test")
        OTHER = "other", _("other")

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="maintenance")
    date = models.DateField(_("date"))
    odometer = models.PositiveIntegerField(_("odometer (km)"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=255, blank=True)
    cost = models.DecimalField(
        _("cost (€)"),
        max_digits=9,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    paid_by = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("paid by"),
    )
    receipt = models.FileField(
        _("receipt"), upload_to=private_upload_path, validators=[validate_upload], blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("maintenance event")
        verbose_name_plural = _("maintenance events")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gte=0), name="maintenance_cost_not_negative"),
        ]
        indexes = [
            # a vehicle's maintenance history and the yearly costs the ledger sums
            models.Index(fields=["vehicle", "date"], name="maintenance_vehicle_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.vehicle}"


class Tariff(models.Model):
    """The price of using a vehicle, in force from `valid_from` until the next tariff."""

    class FuelPolicy(models.TextChoices):
        INCLUDED = "included", _("fuel included in the price per km")
        REFILL = "refill", _("refill and keep the receipts")

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="tariffs")
    valid_from = models.DateField(_("in force from"))
    price_per_km = models.DecimalField(
        _("price per km (€)"),
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0"))],
    )
    price_per_hour = models.DecimalField(
        _("price per hour (€)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    daily_hour_cap = models.DecimalField(
        _("hourly charge capped per day at (€)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    fuel_policy = models.CharField(
        _("fuel"), max_length=10, choices=FuelPolicy.choices, default=FuelPolicy.INCLUDED
    )
    depreciation_per_km = models.DecimalField(
        _("depreciation per km (€)"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("From the calculator: purchase value / km to full depreciation."),
    )
    calculation = models.JSONField(
        _("calculator inputs and result"), default=dict, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["vehicle", "valid_from"], name="tariff_one_per_day"),
            models.CheckConstraint(condition=Q(price_per_km__gte=0), name="tariff_price_positive"),
            models.CheckConstraint(
                condition=Q(price_per_hour__isnull=True) | Q(price_per_hour__gte=0),
                name="tariff_hourly_price_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(daily_hour_cap__isnull=True)
                | (Q(price_per_hour__isnull=False) & Q(daily_hour_cap__gte=0)),
                name="tariff_cap_needs_hourly_price",
            ),
            models.CheckConstraint(
                condition=Q(depreciation_per_km__isnull=True) | Q(depreciation_per_km__gte=0),
                name="tariff_depreciation_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle} {self.price_per_km} €/km from {self.valid_from}"

    def clean(self) -> None:
        if self.daily_hour_cap is not None and self.price_per_hour is None:
            raise ValidationError({"daily_hour_cap": _("A daily cap needs a price per hour.")})
