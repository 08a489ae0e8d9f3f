"""Double-entry cost-sharing accounts: accounts, transactions and legs, periods, deposits.

An `Account` belongs to one party of an association: a member, the association's fund or
the commune. A `LedgerTransaction` records one fact (a trip, a fuel receipt, an expense, a
fee, a payment…) and its `Leg`s move amounts between accounts; the legs of a transaction
sum to zero, so the balances of an association always sum to 0.00.

Sign convention: a leg's amount is what the account's holder is owed (positive: credited,
the others owe them more; negative: debited, they owe more). A payment from Bruno to
Camille credits Bruno and debits Camille.

A `Period` row is a closed settlement period: nothing dated on or before its end changes.
Corrections are reversing entries (`LedgerTransaction.reverses`).

Foreign keys to members, vehicles and tariffs are RESTRICT: a vehicle, a tariff or a
membership that has postings cannot be deleted on its own (deactivate it instead); deleting
a whole association still removes everything it owns.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_DEDUCTIBLE, MAX_ODOMETER_KM, MAX_VERSION, between
from core.files import private_upload_path, validate_upload
from members.models import Association, Membership, User
from vehicles.models import Tariff, Vehicle

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


# What a Decimal(12, 2) column holds, either way: the ledger's amounts are written by the
# posting services from bounded inputs; a leg or a reversal may be negative.
LEDGER_LIMIT = Decimal("9999999999.99")
HOURS_LIMIT = Decimal("999999.99")


def amount_field(verbose_name: StrOrPromise, **options: Any) -> models.DecimalField[Any, Any]:
    """Money: Decimal(12, 2), within the column's capacity unless `validators` say more."""
    options.setdefault("validators", between(-LEDGER_LIMIT, LEDGER_LIMIT))
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **options)


class Account(models.Model):
    """One party's account in one association."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("member")
        FUND = "fund", _("association fund")
        COMMUNE = "commune", _("commune")

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="ledger_accounts"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    membership = models.ForeignKey(
        Membership,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "membership"],
                condition=Q(membership__isnull=False),
                name="ledger_account_one_per_member",
            ),
            models.UniqueConstraint(
                fields=["association", "kind"],
                condition=Q(kind__in=["fund", "commune"]),
                name="ledger_account_one_fund_one_commune",
            ),
            models.CheckConstraint(
                condition=(Q(kind="member") & Q(membership__isnull=False))
                | (~Q(kind="member") & Q(membership__isnull=True)),
                name="ledger_account_member_iff_membership",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.MEMBER and self.membership is not None:
            return self.membership.user.display_name
        return str(self.get_kind_display())


class LedgerTransaction(models.Model):
    """One posted fact with its legs. Never edited: corrected by a reversing entry."""

    class Kind(models.TextChoices):
        TRIP = "trip", _("trip")
        FUEL = "fuel", _("fuel receipt")
        EXPENSE = "expense", _("vehicle expense")
        EXPENSE_SHARE = "expense_share", _("share of expenses")
        FEE = "fee", _("membership fee")
        DEPOSIT = "deposit", _("deposit cashed")
        DAMAGE = "damage", _("damage")
        DEDUCTIBLE = "deductible", _("deductible")
        PAYMENT = "payment", _("payment")

    class Category(models.TextChoices):
        INSURANCE = "insurance", _("insurance")
        ROADWORTHINESS = "roadworthiness", _("roadworthiness test")
        MAINTENANCE = "maintenance", _("maintenance")
        REPAIR = "repair", _("repair")
        TYRES = "tyres", _("tyres")
        TAX = "tax", _("tax")
        ASSISTANCE = "assistance", _("assistance")
        FUEL = "fuel", _("fuel bought by the owner side")
        OTHER = "other", _("other")

    class PaymentMethod(models.TextChoices):
        CASH = "cash", _("cash")
        CHEQUE = "cheque", _("cheque")
        TRANSFER = "transfer", _("bank transfer")

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="ledger_transactions"
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    # The local date (association zone) that places the transaction in a period.
    date = models.DateField(_("date"))
    # Free text (a description, a reason); pages compose the rest from the fields.
    label = models.CharField(_("description"), max_length=255, blank=True)
    # The gross amount of the fact (a trip's price, a receipt, an expense), even when the
    # legs net to nothing (an owner's own trip); negated on a reversing entry.
    amount = amount_field(_("amount (€)"), default=Decimal("0.00"))
    # A caller's idempotency key, e.g. "booking:42" or "maintenance:7"; unique among the
    # association's transactions that were not reversed.
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.RESTRICT, null=True, blank=True, related_name="+"
    )
    # The vehicle's ownership when posted (trip, fuel, expense, damage), so that later
    # changes of owner do not rewrite history.
    owner_kind = models.CharField(
        _("owned by"), max_length=12, choices=Vehicle.OwnerKind.choices, blank=True
    )
    driver = models.ForeignKey(
        Membership, on_delete=models.RESTRICT, null=True, blank=True, related_name="+"
    )
    # negative in a reversing entry
    km = models.IntegerField(
        _("km"), null=True, blank=True, validators=between(-MAX_ODOMETER_KM, MAX_ODOMETER_KM)
    )
    hours = models.DecimalField(
        _("hours"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=between(-HOURS_LIMIT, HOURS_LIMIT),
    )
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    tariff = models.ForeignKey(
        Tariff, on_delete=models.RESTRICT, null=True, blank=True, related_name="+"
    )
    # Who advanced the money (expenses, payments, cashed deposits).
    paid_by = models.ForeignKey(
        Account,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("paid by"),
    )
    category = models.CharField(_("category"), max_length=15, choices=Category.choices, blank=True)
    payment_method = models.CharField(
        _("payment method"), max_length=10, choices=PaymentMethod.choices, blank=True
    )
    receipt = models.FileField(
        _("receipt"), upload_to=private_upload_path, validators=[validate_upload], blank=True
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    # Set on the original when its reversing entry is posted (frees its reference).
    is_reversed = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "reference"],
                condition=~Q(reference="") & Q(is_reversed=False),
                name="ledger_txn_reference_unique",
            ),
            models.CheckConstraint(
                condition=Q(km__isnull=True) | Q(km__gte=0) | Q(reverses__isnull=False),
                name="ledger_txn_km_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(reverses=models.F("id")), name="ledger_txn_not_self_reversing"
            ),
        ]
        indexes = [
            # period pages, statements, exports: an association's transactions by date
            models.Index(fields=["association", "date"], name="ledger_txn_assoc_date"),
            # dashboard, no-profit check, expense sharing: a vehicle's postings by kind/date
            models.Index(fields=["vehicle", "kind", "date"], name="ledger_txn_vehicle_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.label}"


class Leg(models.Model):
    """An amount credited (positive) or debited (negative) to one account."""

    transaction = models.ForeignKey(
        LedgerTransaction, on_delete=models.CASCADE, related_name="legs"
    )
    account = models.ForeignKey(Account, on_delete=models.RESTRICT, related_name="legs")
    amount = amount_field(_("amount (€)"))
    memo = models.CharField(_("memo"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("leg")
        verbose_name_plural = _("legs")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_leg_not_zero"),
        ]
        indexes = [
            # balances: SUM(amount) GROUP BY account (covering index, no table access)
            models.Index(fields=["account", "amount"], name="ledger_leg_account_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.amount}"


class Period(models.Model):
    """A closed settlement period (a month or a quarter): nothing dated in it may change."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="ledger_periods"
    )
    key = models.CharField(_("period"), max_length=7)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    closed_at = models.DateTimeField(_("closed at"), default=timezone.now)
    closed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("closed period")
        verbose_name_plural = _("closed periods")
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["association", "key"], name="ledger_period_key_unique"),
            models.UniqueConstraint(
                fields=["association", "starts_on"], name="ledger_period_start_unique"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="ledger_period_range"
            ),
        ]
        indexes = [
            # "is this date closed?": the latest closed end of an association
            models.Index(fields=["association", "ends_on"], name="ledger_period_assoc_end"),
        ]

    def __str__(self) -> str:
        return self.key


class Deposit(models.Model):
    """A deposit (a cheque, usually) held by the association, then returned or cashed."""

    class Status(models.TextChoices):
        HELD = "held", _("held")
        RETURNED = "returned", _("returned")
        CASHED = "cashed", _("cashed")

    class Means(models.TextChoices):
        CHEQUE = "cheque", _("cheque")
        CASH = "cash", _("cash")
        TRANSFER = "transfer", _("bank transfer")

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="ledger_deposits"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.RESTRICT, related_name="ledger_deposits"
    )
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.RESTRICT, null=True, blank=True, related_name="+"
    )
    amount = amount_field(_("amount (€)"), validators=between(Decimal("0.01"), MAX_DEDUCTIBLE))
    means = models.CharField(
        _("paid by"), max_length=10, choices=Means.choices, default=Means.CHEQUE
    )
    cheque_number = models.CharField(_("cheque number"), max_length=40, blank=True)
    bank = models.CharField(_("bank"), max_length=80, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.HELD
    )
    received_on = models.DateField(_("received on"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    cashed_transaction = models.OneToOneField(
        LedgerTransaction, on_delete=models.RESTRICT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("deposit")
        verbose_name_plural = _("deposits")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_deposit_positive"),
            models.CheckConstraint(
                condition=~Q(status="cashed") | Q(cashed_transaction__isnull=False),
                name="ledger_deposit_cashed_has_posting",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | Q(returned_on__isnull=False),
                name="ledger_deposit_returned_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} {self.amount} € ({self.get_status_display()})"


class LedgerVersion(models.Model):
    """A counter per association that every write of a leg or a transaction increases,
    whoever writes (triggers, migration 0007): cached balances and "My account" are keyed
    by it (ledger.selectors.balances)."""

    # No database foreign key: legs and associations may be deleted in any order.
    association = models.OneToOneField(
        "members.Association",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="ledger_version",
        db_constraint=False,
    )
    version = models.PositiveBigIntegerField(default=0, validators=between(0, MAX_VERSION))

    class Meta:
        verbose_name = _("version of an association's ledger")
        verbose_name_plural = _("versions of the associations' ledgers")

    def __str__(self) -> str:
        return f"{self.association_id} v{self.version}"
