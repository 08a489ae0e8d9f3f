"""The price of using a vehicle, with its history."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_PRICE_PER_DAY, MAX_PRICE_PER_HOUR, MAX_PRICE_PER_KM, between
from vehicles.models.vehicle import Vehicle


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
        validators=between(Decimal("0"), MAX_PRICE_PER_KM),
    )
    price_per_hour = models.DecimalField(
        _("price per hour (€)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=between(Decimal("0"), MAX_PRICE_PER_HOUR),
    )
    daily_hour_cap = models.DecimalField(
        _("hourly charge capped per day at (€)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=between(Decimal("0"), MAX_PRICE_PER_DAY),
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
        validators=between(Decimal("0"), MAX_PRICE_PER_KM),
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
