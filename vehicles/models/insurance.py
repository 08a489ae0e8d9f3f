"""A vehicle's insurance policies: the history, exactly one active."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_DEDUCTIBLE, between
from core.files import private_upload_path
from vehicles.models.vehicle import Vehicle
from vehicles.uploads import validate_new_upload


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
        validators=between(Decimal("0"), MAX_DEDUCTIBLE),
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
        validators=between(Decimal("0"), MAX_DEDUCTIBLE),
    )
    min_driver_age = models.PositiveSmallIntegerField(
        _("minimum age"), default=21, validators=between(0, 99)
    )
    min_licence_years = models.PositiveSmallIntegerField(
        _("minimum years of licence"), default=2, validators=between(0, 60)
    )
    substitute_policy = models.CharField(
        _("substitute policy for co-drivers (insurer and number)"), max_length=200, blank=True
    )
    certificate = models.FileField(
        _("insurance certificate"),
        upload_to=private_upload_path,
        validators=[validate_new_upload],
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
