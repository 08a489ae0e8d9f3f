"""Incidents: a damage, a breakdown, an accident, a fine or a dirty car, from its report to
its settlement. (Imported by bookings.models, which Django loads.)

An incident belongs to a vehicle and, when it happened during a trip, to that booking. It
lives in bookings because it links trips (check-in, check-out "already there") and its
settlement posts to the ledger through the ledger's services, which only bookings may call.

Life cycle: reported → assessed (quote or invoice, insurer or not) → settled (the responsible
driver charged at most their deductible, one ledger transaction `incident:<id>`) or closed
without charge. Drivers reply (contest) until it is settled or closed; an admin decides.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.bounds import between
from core.files import private_upload_path, validate_upload
from ledger.models import Deposit, LedgerTransaction
from members.models import Association, Membership, User
from vehicles.models import Vehicle

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# A repair, a charge or a deductible above this is a typing error, not a car.
MAX_REPAIR_COST = Decimal("100000.00")


def money_field(verbose_name: StrOrPromise) -> models.DecimalField[Any, Any]:
    """An optional amount in euros, 0 to MAX_REPAIR_COST."""
    return models.DecimalField(
        verbose_name,
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=between(Decimal("0"), MAX_REPAIR_COST),
    )


class Incident(models.Model):
    """Something that happened to a car and may cost money."""

    class Kind(models.TextChoices):
        SCRATCH = "scratch", _("scratch")
        DENT = "dent", _("dent")
        BREAKDOWN = "breakdown", _("breakdown")
        ACCIDENT = "accident", _("accident")
        FINE = "fine", _("fine")
        CLEANLINESS = "cleanliness", _("cleanliness")
        OTHER = "other", pgettext_lazy("incident kind", "other")

    class Status(models.TextChoices):
        REPORTED = "reported", _("reported")
        ASSESSED = "assessed", _("assessed")
        SETTLED = "settled", _("settled")
        CLOSED = "closed", _("closed without charge")

    class RepairDocument(models.TextChoices):
        QUOTE = "quote", _("quote")
        INVOICE = "invoice", _("invoice")

    # Statuses in which the incident is "open": shown at check-out, replies accepted.
    OPEN_STATUSES = (Status.REPORTED, Status.ASSESSED)

    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="incidents")
    # An incident outlives its booking (deleted by an operator): it stays with the car.
    booking = models.ForeignKey(
        "bookings.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("trip"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.TextField(_("description"), max_length=4000)
    occurred_at = models.DateTimeField(_("when it happened"), default=timezone.now)
    reported_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by")
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REPORTED
    )
    # The assessment: the repair's quote or invoice, and whether the insurer pays above the
    # deductible.
    repair_cost = money_field(_("repair cost (€)"))
    repair_document_kind = models.CharField(
        _("quote or invoice"), max_length=8, choices=RepairDocument.choices, blank=True
    )
    repair_document = models.FileField(
        _("quote or invoice"),
        upload_to=private_upload_path,
        validators=[validate_upload],
        blank=True,
    )
    insurer_involved = models.BooleanField(_("declared to the insurer"), default=False)
    assessed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assessed_at = models.DateTimeField(null=True, blank=True)
    # The decision (an admin's): settled with a charge, or closed without one.
    responsible = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible driver"),
    )
    charged_amount = money_field(_("charged to the driver (€)"))
    deductible_applied = money_field(_("deductible that applied (€)"))
    # The part of the repair neither the driver nor the insurer pays, and who bears it
    # (the association's rule when settled).
    remainder_amount = money_field(_("rest of the repair (€)"))
    remainder_bearer = models.CharField(
        _("rest of the repair paid by"),
        max_length=10,
        choices=Association.IncidentRemainder.choices,
        blank=True,
    )
    deposit = models.ForeignKey(
        Deposit, on_delete=models.RESTRICT, null=True, blank=True, related_name="+"
    )
    ledger_transaction = models.OneToOneField(
        LedgerTransaction, on_delete=models.RESTRICT, null=True, blank=True, related_name="+"
    )
    decision = models.TextField(_("decision"), blank=True, max_length=4000)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["reported", "assessed", "settled", "closed"],
                    kind__in=[
                        "scratch",
                        "dent",
                        "breakdown",
                        "accident",
                        "fine",
                        "cleanliness",
                        "other",
                    ],
                ),
                name="incident_status_and_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="settled")
                | Q(
                    responsible__isnull=False,
                    charged_amount__gt=0,
                    ledger_transaction__isnull=False,
                ),
                name="incident_settled_has_charge",
            ),
            models.CheckConstraint(
                condition=Q(charged_amount__isnull=True)
                | Q(
                    deductible_applied__isnull=False,
                    charged_amount__lte=models.F("deductible_applied"),
                ),
                name="incident_charge_within_deductible",
            ),
            models.CheckConstraint(
                condition=Q(repair_cost__isnull=True) | Q(repair_cost__gte=0),
                name="incident_repair_cost_not_negative",
            ),
        ]
        indexes = [
            # check-out and the notebook: a car's open incidents, a car's incidents by date
            models.Index(fields=["vehicle", "status"], name="incident_vehicle_status"),
            models.Index(fields=["vehicle", "-reported_at"], name="incident_vehicle_reported"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.vehicle_id} {self.reported_at:%Y-%m-%d}"

    @property
    def reference(self) -> str:
        """The ledger reference of its settlement (one transaction per incident)."""
        return f"incident:{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class IncidentPhoto(models.Model):
    """A photo of the damage: at report, at check-in, at a later check-out, of the repair."""

    class Stage(models.TextChoices):
        REPORT = "report", _("at the report")
        CHECK_IN = "in", _("at return")
        ALREADY_THERE = "seen", _("seen again at a departure")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(max_length=8, choices=Stage.choices, default=Stage.REPORT)
    # The booking at whose departure the damage was seen again ("already there").
    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to=private_upload_path, validators=[validate_upload])
    uploaded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("incident photo")
        verbose_name_plural = _("incident photos")
        ordering = ["uploaded_at", "id"]
        indexes = [
            # the car's last photos at check-out and in the notebook
            models.Index(fields=["incident", "uploaded_at"], name="incident_photo_incident"),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.stage}"


class IncidentReply(models.Model):
    """A driver's (or an owner's, an admin's) word on an incident before the decision."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("your reply"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reply on an incident")
        verbose_name_plural = _("replies on incidents")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.author_id} {self.created_at:%Y-%m-%d}"


class IncidentSighting(models.Model):
    """A driver saw the damage at departure: "already there", so it is not theirs."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="sightings")
    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.CASCADE, related_name="incident_sightings"
    )
    seen_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("damage seen at departure")
        verbose_name_plural = _("damages seen at departure")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "booking"], name="incident_sighting_once_per_booking"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} seen at {self.booking_id}"
