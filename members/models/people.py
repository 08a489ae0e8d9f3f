"""Users, associations (the tenant), memberships, driver profiles, invitations, audit trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_FEE, MAX_NOTICE_HOURS, between
from core.files import private_upload_path, validate_upload
from core.iban import validate_bic, validate_iban
from members.validators import (
    RESERVED_SLUGS,
    validate_association_slug,
    validate_postcode,
    validate_time_zone,
)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("users need an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. The login is the e-mail address; there is no username."""

    class Language(models.TextChoices):
        FRENCH = "fr", _("French")
        ENGLISH = "en", _("English")

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # The postal address, printed on the agreement, the membership form and the letter that
    # designates a driver (which the law requires it on): all three parts or none.
    street = models.CharField(_("street address"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=5, blank=True, validators=[validate_postcode]
    )
    town = models.CharField(_("town"), max_length=100, blank=True)
    # Where the association pays the person back (SEPA transfer), stored compact; shown
    # masked (core.iban.mask_iban).
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[validate_iban])
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.FRENCH
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        full = f"{self.first_name} {self.last_name}".strip()
        return full or self.email

    def get_full_name(self) -> str:
        return self.display_name

    @property
    def postal_address(self) -> str:
        """ "3 rue des Vignes, 63000 Villerouge", or "" when none is recorded."""
        if not self.street:
            return ""
        return f"{self.street}, {self.postcode} {self.town}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class Association(models.Model):
    """The tenant: a neighbour car-sharing association. Every tenant-owned row reaches it."""

    class FeePeriod(models.TextChoices):
        YEAR = "year", _("per year")
        MONTH = "month", _("per month")

    class DepositRule(models.TextChoices):
        NONE = "none", _("no deposit")
        DEDUCTIBLE = "deductible", _("at least the vehicle's deductible")
        FIXED = "fixed", _("a fixed amount")

    class SettlementPeriod(models.TextChoices):
        MONTH = "month", _("monthly")
        QUARTER = "quarter", _("quarterly")

    class ExpenseSharing(models.TextChoices):
        KM = "km", _("pro rata of km driven in the period")
        MEMBERSHIP_DAYS = "days", _("monthly provision pro rata of membership days")

    class IncidentRemainder(models.TextChoices):
        """Who bears the part of a repair that the responsible driver does not pay (above
        their deductible, or all of it when nobody is responsible), unless the insurer does."""

        OWNER = "owner", _("the car's owner side")
        FUND = "fund", _("the association's fund")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name in addresses"),
        max_length=60,
        unique=True,
        validators=[validate_association_slug],
    )
    commune = models.CharField(_("commune"), max_length=200)
    postcode = models.CharField(
        _("postcode"), max_length=5, blank=True, validators=[validate_postcode]
    )
    address = models.TextField(_("address"), blank=True)
    # The account the association pays its members back from (the SEPA transfer file).
    iban = models.CharField(
        _("association's IBAN"), max_length=34, blank=True, validators=[validate_iban]
    )
    bic = models.CharField(
        _("association's BIC"),
        max_length=11,
        blank=True,
        validators=[validate_bic],
        help_text=_("Left empty, it is taken from the IBAN when the bank is known."),
    )
    # The holder's address on the letters for the commune's cars (the town hall).
    commune_address = models.TextField(
        _("address of the commune (town hall)"),
        blank=True,
        help_text=_("Printed on the letters about the commune's cars, for instance a fine."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Paris", validators=[validate_time_zone]
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    approval_required_default = models.BooleanField(
        _("bookings need the owner's approval by default"), default=False
    )
    membership_fee = models.DecimalField(
        _("membership fee"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=between(Decimal("0"), MAX_FEE),
    )
    fee_period = models.CharField(
        _("fee period"), max_length=10, choices=FeePeriod.choices, default=FeePeriod.YEAR
    )
    deposit_rule = models.CharField(
        _("deposit"), max_length=12, choices=DepositRule.choices, default=DepositRule.DEDUCTIBLE
    )
    deposit_amount = models.DecimalField(
        _("fixed deposit amount"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=between(Decimal("0"), MAX_FEE),
    )
    receipt_approval_threshold = models.DecimalField(
        _("fuel receipts above this amount wait for approval (€)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("150.00"),
        validators=between(Decimal("0"), MAX_FEE),
        help_text=_(
            "A receipt above it, or without a photo, is refunded only once an owner of the "
            "car or an administrator approves it."
        ),
    )
    agreement_required = models.BooleanField(
        _("a signed agreement is required before booking"), default=True
    )
    settlement_period = models.CharField(
        _("settlement period"),
        max_length=10,
        choices=SettlementPeriod.choices,
        default=SettlementPeriod.MONTH,
    )
    expense_sharing = models.CharField(
        _("how shared-car expenses are split"),
        max_length=10,
        choices=ExpenseSharing.choices,
        default=ExpenseSharing.KM,
    )
    default_notice_hours = models.PositiveIntegerField(
        _("minimum notice before a booking (hours)"),
        default=0,
        validators=between(0, MAX_NOTICE_HOURS),
        help_text=_("The default for new cars; each car's owner may change it."),
    )
    # The association's own words for its public page, and whether anyone may read it.
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=4000,
        help_text=_("Shown on the public page: who you are, where the cars are, who may join."),
    )
    public_page = models.BooleanField(
        _("public page"),
        default=False,
        help_text=_("Anyone may read the association's page, its cars and its prices."),
    )
    listed_in_directory = models.BooleanField(
        _("listed in the directory"),
        default=False,
        help_text=_("The association appears in the directory of associations (public page)."),
    )
    # When an admin saved the rules (fees, deposit, approval, notice): the start checklist.
    rules_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    founded_by = models.ForeignKey(
        "User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        db_index=False,  # the index below covers it
    )
    # Set by platform operators: pages, API and jobs of the association stop.
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    suspension_reason = models.TextField(_("reason for the suspension"), blank=True)
    incident_remainder = models.CharField(
        _("who pays the rest of a repair when the insurer does not"),
        max_length=10,
        choices=IncidentRemainder.choices,
        default=IncidentRemainder.OWNER,
        help_text=_(
            "The responsible driver pays at most their deductible; the insurer pays above it "
            "when the incident is declared to it. Otherwise the rest is borne by this side."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(membership_fee__gte=0) & Q(deposit_amount__gte=0),
                name="association_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(receipt_approval_threshold__gte=0)
                & Q(receipt_approval_threshold__lte=MAX_FEE),
                name="association_receipt_threshold_range",
            ),
            # Root URLs (/me/, /api/, /join/…) would shadow the association's pages.
            models.CheckConstraint(
                condition=~Q(slug__in=sorted(RESERVED_SLUGS)),
                name="association_slug_not_reserved",
            ),
            models.CheckConstraint(
                condition=Q(listed_in_directory=False) | Q(public_page=True),
                name="association_listed_needs_public_page",
            ),
        ]
        indexes = [
            # the directory: listed associations by postcode
            models.Index(fields=["listed_in_directory", "postcode"], name="association_directory"),
            # the founding rate limit: what one person founded lately
            models.Index(fields=["founded_by", "created_at"], name="association_founded_by"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    @property
    def is_public(self) -> bool:
        """Anyone may read its page: the admins opened it and the platform has not suspended it."""
        return self.public_page and not self.is_suspended


class Household(models.Model):
    """A tax household declared by members (ADEME criterion 4): sharing a car inside one
    household is family use, not car sharing."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="households"
    )
    label = models.CharField(_("label"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.label


class Membership(models.Model):
    """A user in an association, with a role and a status."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("administrator")
        MEMBER = "member", _("member")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        LEFT = "left", _("left")
        REFUSED = "refused", _("refused")

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    fee_paid_until = models.DateField(_("fee paid until"), null=True, blank=True)
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("tax household"),
    )
    request_message = models.TextField(_("message with the request"), blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    refused_on = models.DateField(_("refused on"), null=True, blank=True)
    # Set by the retention job (members.privacy) once a departure or refusal is old enough:
    # the association no longer sees the person, whose name only stays in its books.
    personal_data_purged_on = models.DateField(
        _("personal data purged on"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "association"], name="membership_one_per_user_and_association"
            ),
            # The literals mirror Role and Status (a nested Meta cannot see them).
            models.CheckConstraint(
                condition=Q(role__in=["admin", "member"]), name="membership_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "active", "suspended", "left", "refused"]),
                name="membership_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]
        indexes = [
            # member list of an association filtered by status (admin pages, balances)
            models.Index(fields=["association", "status"], name="membership_assoc_status"),
            # the retention job: ended memberships not purged yet (members.services.retention)
            models.Index(
                fields=["status", "left_on", "refused_on"],
                condition=Q(personal_data_purged_on__isnull=True, status__in=["left", "refused"]),
                name="membership_to_purge",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.association}"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN and self.status == self.Status.ACTIVE

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class DriverProfile(models.Model):
    """A person's driving licence data. Personal data: the person and admins only."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="driver_profile")
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_place = models.CharField(
        _("place of birth"),
        max_length=120,
        blank=True,
        help_text=_("Town, and département or country (the designation of a driver needs it)."),
    )
    licence_number = models.CharField(_("licence number"), max_length=40, blank=True)
    licence_issued_on = models.DateField(_("licence issue date"), null=True, blank=True)
    licence_issued_by = models.CharField(_("issuing authority"), max_length=120, blank=True)
    licence_expires_on = models.DateField(_("licence expiry date"), null=True, blank=True)
    accompanied_driving = models.BooleanField(
        _("learnt with accompanied driving (AAC)"), default=False
    )
    post_licence_training = models.BooleanField(
        _("completed the post-licence training"), default=False
    )
    licence_scan = models.FileField(
        _("licence scan"),
        upload_to=private_upload_path,
        validators=[validate_upload],
        blank=True,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("driver profile")
        verbose_name_plural = _("driver profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(licence_issued_on__isnull=True)
                | Q(birth_date__isnull=True)
                | Q(licence_issued_on__gt=models.F("birth_date")),
                name="driver_licence_after_birth",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}"

    @property
    def is_complete(self) -> bool:
        # Also in SQL: members.selectors.HOME_KEY_SQL (the cached home page's key).
        return bool(self.birth_date and self.licence_number and self.licence_issued_on)

    def licence_valid_on(self, day: dt.date) -> bool:
        return self.licence_expires_on is None or self.licence_expires_on >= day


class Invitation(models.Model):
    """An admin's invitation by e-mail; the link carries a signed, expiring token."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # What the association typed for the invitee (a members import): it fills in an account
    # created through the invitation, never an existing one; emptied once the invitation is
    # accepted, withdrawn or expired (members.privacy).
    prefill = models.JSONField(_("details typed by the association"), default=dict, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # At most one open invitation per address: inviting again renews it.
            models.UniqueConstraint(
                fields=["association", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.association}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    def is_expired(self, now: dt.datetime) -> bool:
        return self.expires_at <= now


class AuditEntry(models.Model):
    """Who did what, when, to which object. Written by services inside their transaction."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, null=True, blank=True, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=80)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            # an association's history, newest first
            models.Index(fields=["association", "-created_at"], name="audit_assoc_created"),
            # one object's history (a booking's page)
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
