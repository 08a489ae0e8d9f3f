"""Document templates (versioned, per association) and agreements (vehicle x driver)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_COUNT, between
from core.files import private_upload_path, validate_upload
from members.models import Association, Membership, User
from vehicles.models import Vehicle


class DocumentKind(models.TextChoices):
    AGREEMENT = "agreement", _("car-sharing agreement")
    MEMBERSHIP_FORM = "membership_form", _("membership form")
    HANDOVER_CHECKLIST = "handover_checklist", _("handover checklist")
    LOGBOOK = "logbook", _("logbook sheets")
    DRIVER_DESIGNATION = "driver_designation", _("driver-designation letter")
    MEMBER_STATEMENT = "member_statement", _("member statement")
    STATUTES = "statutes", _("statutes of the association")
    INTERNAL_RULES = "internal_rules", _("internal rules")


class DocumentTemplate(models.Model):
    """An association's own copy of a document kind; without one, the shipped default
    (contracts/defaults/<kind>.html) is used."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="document_templates"
    )
    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "kind"], name="doctemplate_one_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.association} {self.kind}"


class TemplateVersion(models.Model):
    """One saved text of a template. Versions are never changed: every save adds one."""

    template = models.ForeignKey(
        DocumentTemplate, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"), validators=between(1, MAX_COUNT))
    source = models.TextField(_("template text"))
    source_sha256 = models.CharField(max_length=64)
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="templateversion_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="templateversion_number_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"


def agreement_pdf_path(instance: Agreement, filename: str) -> str:
    return private_upload_path(instance, "agreement.pdf")


class Agreement(models.Model):
    """The car-sharing agreement between a vehicle's lender(s) and one driver.

    It keeps the data it printed (`snapshot`), the terms that make it outdated when they
    change (`terms`: deductible, insurance, tariff, key option) and the SHA-256 of the
    stored PDF. At most one agreement per vehicle and driver is being prepared (draft,
    printed) and at most one is in force (signed, to re-sign).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("to print")
        PRINTED = "printed", _("to sign")
        SIGNED = "signed", _("signed")
        TO_RESIGN = "to_resign", _("to re-sign")
        ENDED = "ended", _("ended")

    PENDING = (Status.DRAFT, Status.PRINTED)
    IN_FORCE = (Status.SIGNED, Status.TO_RESIGN)

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="agreements"
    )
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="agreements")
    driver = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="agreements")
    driver_is_owner = models.BooleanField(_("the driver owns the vehicle"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    template_version = models.ForeignKey(
        TemplateVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        help_text=_("Empty: the shipped default template."),
    )
    template_label = models.CharField(_("template"), max_length=40)
    template_sha256 = models.CharField(max_length=64)
    snapshot = models.JSONField(_("printed data"), default=dict)
    terms = models.JSONField(_("terms"), default=dict)
    pdf = models.FileField(upload_to=agreement_pdf_path, max_length=200)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    page_count = models.PositiveSmallIntegerField(default=0, validators=between(0, 10_000))
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    generated_at = models.DateTimeField(_("generated at"))
    printed_at = models.DateTimeField(_("printed at"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signature_recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signature_recorded_at = models.DateTimeField(null=True, blank=True)
    signed_scan = models.FileField(
        _("scan of the signed agreement"),
        upload_to=private_upload_path,
        validators=[validate_upload],
        blank=True,
        max_length=200,
    )
    outdated_since = models.DateTimeField(_("to re-sign since"), null=True, blank=True)
    outdated_reasons = models.JSONField(default=list, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle", "driver"],
                condition=Q(status__in=["draft", "printed"]),
                name="agreement_one_pending_per_pair",
            ),
            models.UniqueConstraint(
                fields=["vehicle", "driver"],
                condition=Q(status__in=["signed", "to_resign"]),
                name="agreement_one_in_force_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["signed", "to_resign"]) | Q(signed_on__isnull=False),
                name="agreement_signed_has_date",
            ),
        ]
        indexes = [
            # the agreements page: one association's agreements filtered by status
            models.Index(fields=["association", "status"], name="agreement_assoc_status"),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle} × {self.driver.user}"
