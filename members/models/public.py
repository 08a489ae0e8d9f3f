"""What comes in through the association's public page: messages of its contact form."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models.people import Association


class ContactMessage(models.Model):
    """A visitor's message to the admins, sent from the public page (no address is shown
    there); delivered to the admins through the notifications outbox."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="contact_messages"
    )
    sender_name = models.CharField(_("name"), max_length=100)
    sender_email = models.EmailField(_("e-mail address"))
    body = models.TextField(_("message"), max_length=2000)
    # A keyed hash of the sender's network address: enough to count their messages (the
    # rate limit), without keeping the address itself.
    sender_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        indexes = [
            # the rate limits: an association's messages of the day, a sender's of the hour
            models.Index(fields=["association", "created_at"], name="contact_assoc_created"),
            models.Index(fields=["sender_key", "created_at"], name="contact_sender_created"),
        ]

    def __str__(self) -> str:
        return f"{self.association_id} {self.created_at:%Y-%m-%d %H:%M}"
