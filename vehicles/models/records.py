"""A vehicle's papers with an expiry and its maintenance history."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_AMOUNT, MAX_ODOMETER_KM, between
from core.files import private_upload_path
from members.models import Membership
from vehicles.models.vehicle import Vehicle
from vehicles.uploads import validate_new_upload


class VehicleDocument(models.Model):
    """A paper with an expiry: registration, insurance certificate, roadworthiness test."""

    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("registration certificate")
        INSURANCE_CERTIFICATE = "insurance", _("insurance certificate")
        ROADWORTHINESS = "roadworthiness", _("roadworthiness test certificate")

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(
        _("file"), upload_to=private_upload_path, validators=[validate_new_upload], blank=True
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
    odometer = models.PositiveIntegerField(
        _("odometer (km)"), null=True, blank=True, validators=between(0, MAX_ODOMETER_KM)
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=255, blank=True)
    cost = models.DecimalField(
        _("cost (€)"),
        max_digits=9,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=between(Decimal("0"), MAX_AMOUNT),
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
        _("receipt"), upload_to=private_upload_path, validators=[validate_new_upload], blank=True
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
