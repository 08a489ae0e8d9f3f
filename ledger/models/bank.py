"""Bank statements imported by an admin: each line is matched to a member, previewed, and
recorded as a payment when the admin confirms (ledger.services.bank).

A `BankLine` keeps what the bank said (date, signed amount, label, reference) and its
fingerprint: the same line in a later export (statements overlap) is recognised and never
posted twice. Its posting carries the reference `bank:<fingerprint>`, unique in the ledger.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_AMOUNT, MAX_COUNT, between
from ledger.models.entries import LedgerTransaction
from members.models import Association, Membership, User


class BankImport(models.Model):
    class Status(models.TextChoices):
        PREVIEW = "preview", _("to check")
        CONFIRMED = "confirmed", _("payments recorded")

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="ledger_bank_imports"
    )
    filename = models.CharField(_("file"), max_length=255)
    encoding = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    unreadable = models.JSONField(default=list, blank=True)  # [[line number, code], …]
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bank statement import")
        verbose_name_plural = _("bank statement imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.filename


class BankLine(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("to check")
        POSTED = "posted", _("recorded")
        IGNORED = "ignored", _("left out")
        DUPLICATE = "duplicate", _("already imported")

    bank_import = models.ForeignKey(BankImport, on_delete=models.CASCADE, related_name="lines")
    row = models.PositiveIntegerField(validators=between(1, MAX_COUNT))
    date = models.DateField(_("date"))
    amount = models.DecimalField(
        _("amount (€)"),
        max_digits=12,
        decimal_places=2,
        validators=between(-MAX_AMOUNT, MAX_AMOUNT),
    )
    label = models.CharField(_("label"), max_length=255, blank=True)
    reference = models.CharField(_("reference"), max_length=140, blank=True)
    fingerprint = models.CharField(max_length=64)
    # The member the matching proposed, and why ("reference", "name", "amount", "").
    suggested = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    membership = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    transaction = models.OneToOneField(
        LedgerTransaction, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["row"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount=Decimal("0")), name="ledger_bankline_amount_not_zero"
            ),
        ]
        indexes = [models.Index(fields=["fingerprint"], name="ledger_bankline_fingerprint")]

    def __str__(self) -> str:
        return f"{self.date} {self.amount} {self.label}"
