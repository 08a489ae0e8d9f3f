"""Recurring expenses: costs that come back every month or quarter (an insurance instalment,
the rent of a parking space), posted by a scheduled job, once per occurrence.

A `RecurringExpense` belongs to one vehicle (its owner side bears it, as any expense) or, with
no vehicle, to the association as a whole (a group insurance policy: the fund bears it and
it is shared among the members at period close; see docs/ledger.md). Each posted occurrence
is a `RecurringOccurrence` row, unique per expense and due date, written in the transaction
that posts it: the row, not the ledger reference, is what makes the posting happen once, so
an occurrence an admin reversed is never posted again by the next run.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_AMOUNT, between
from ledger.models.entries import Account, LedgerTransaction, amount_field
from members.models import Association, User
from vehicles.models import Vehicle


class RecurringExpense(models.Model):
    """An expense posted on `starts_on` and then every month or quarter, until `ends_on`."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("every month")
        QUARTERLY = "quarterly", _("every quarter")

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="ledger_recurring_expenses"
    )
    # None: a cost of the association as a whole (a group insurance policy).
    vehicle = models.ForeignKey(
        Vehicle,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vehicle"),
    )
    category = models.CharField(
        _("kind of expense"), max_length=15, choices=LedgerTransaction.Category.choices
    )
    description = models.CharField(_("description"), max_length=255)
    amount = amount_field(_("amount (€)"), validators=between(Decimal("0.01"), MAX_AMOUNT))
    paid_by = models.ForeignKey(
        Account, on_delete=models.RESTRICT, related_name="+", verbose_name=_("paid by")
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    # The first occurrence; the next ones fall on the same day of the month (the month's
    # last day when it is shorter).
    starts_on = models.DateField(_("first occurrence"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("recurring expense")
        verbose_name_plural = _("recurring expenses")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="ledger_recurring_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="ledger_recurring_range",
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=["monthly", "quarterly"]),
                name="ledger_recurring_frequency_valid",
            ),
        ]
        indexes = [
            # the scheduled job: an association's expenses that may be due
            models.Index(fields=["association", "starts_on"], name="ledger_recurring_assoc"),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def months_between(self) -> int:
        return 3 if self.frequency == self.Frequency.QUARTERLY else 1


class RecurringOccurrence(models.Model):
    """One occurrence of a recurring expense, posted (the claim that makes it happen once)."""

    recurring = models.ForeignKey(
        RecurringExpense, on_delete=models.CASCADE, related_name="occurrences"
    )
    due_on = models.DateField(_("due on"))
    transaction = models.OneToOneField(
        LedgerTransaction, on_delete=models.RESTRICT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("posted occurrence")
        verbose_name_plural = _("posted occurrences")
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["recurring", "due_on"], name="ledger_recurring_occurrence_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recurring} {self.due_on}"
