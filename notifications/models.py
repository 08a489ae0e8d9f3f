"""The notifications outbox, per-person preferences and the record of scheduled runs.

A notification is a row first and an e-mail second: scans and services insert it (once per
recipient and key), a worker claims it with a conditional UPDATE, sends it and marks it
sent. See docs/ARCHITECTURE.md, "Background work".

The kind is a code declared by the app that sends it (`<app>/notifications.py`, registered in
notifications.registry): the column carries no list of other apps' codes, so adding a kind
needs no migration here; the outbox refuses a code that is not registered.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_COUNT, between
from members.models import Association, User

# The e-mail signature separator (RFC 3676): the app shows the body without what follows.
SIGNATURE = "\n-- \n"


class Notification(models.Model):
    """One message to one person, rendered in their language when it was created.

    The person is a `recipient` with an account or, for someone who has none yet (an
    invitee), an `email` address: such a row is sent by e-mail only."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40)
    # "<kind>:<object>:<occasion>", e.g. "booking_starts_soon:booking:42:24h:2026-03-29T08:00Z";
    # unique per recipient (or address), which makes creation idempotent (insert-or-ignore).
    key = models.CharField(max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    # A file made when the e-mail is sent ({"maker": "<app>.<what>", "params": {…}}, see
    # core.notices.Attachment); {} for none. Nothing is stored: the maker renders it again
    # on a retry, from data that does not change (a closed period's statement).
    attachment = models.JSONField(_("attachment"), default=dict, blank=True)
    by_email = models.BooleanField(_("by e-mail"), default=True)
    in_app = models.BooleanField(_("in the app"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, validators=between(0, 1000)
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_unique_key"),
            models.UniqueConstraint(
                fields=["email", "key"],
                condition=Q(recipient__isnull=True),
                name="notification_unique_address_key",
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False, email="")
                | Q(recipient__isnull=True, in_app=False) & ~Q(email=""),
                name="notification_one_recipient",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "failed"]),
                name="notification_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(by_email=True) | Q(in_app=True),
                name="notification_has_a_channel",
            ),
        ]
        indexes = [
            # the person's list and the API, newest first
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient"),
            # the delivery sweep: work that is waiting or whose lease may have expired
            models.Index(
                fields=["status", "next_attempt_at"],
                condition=Q(status__in=["pending", "sending"]),
                name="notification_due",
            ),
            # the admin page: an association's failures
            models.Index(fields=["association", "status"], name="notification_assoc_status"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id or self.email} ({self.status})"

    @property
    def address(self) -> str:
        """Where the e-mail goes: the recipient's current address, or the one given."""
        return self.recipient.email if self.recipient is not None else self.email

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def text_in_app(self) -> str:
        """The body without the e-mail's signature ("-- " and what follows)."""
        return self.body.split(SIGNATURE, 1)[0].rstrip()


class NotificationPreference(models.Model):
    """A person's choice for one optional kind; without a row, both channels are on."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=40)
    by_email = models.BooleanField(_("by e-mail"), default=True)
    in_app = models.BooleanField(_("in the app"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"


class ScanRun(models.Model):
    """One run of a scheduled job (a scan or the delivery sweep), for the admin page."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    name = models.CharField(_("job"), max_length=60)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.RUNNING
    )
    checked = models.PositiveIntegerField(
        _("rows checked"), default=0, validators=between(0, MAX_COUNT)
    )
    created = models.PositiveIntegerField(
        _("notifications created"), default=0, validators=between(0, MAX_COUNT)
    )
    sent = models.PositiveIntegerField(
        _("notifications sent"), default=0, validators=between(0, MAX_COUNT)
    )
    # {association id: notifications created for it}, so each association sees its share
    by_association = models.JSONField(default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("scheduled job run")
        verbose_name_plural = _("scheduled job runs")
        indexes = [
            # the admin page: the last run of each job
            models.Index(fields=["name", "-started_at"], name="scanrun_name_started"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"
