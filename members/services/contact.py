"""A visitor writes to an association from its public page (its address is never shown)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.notices import Message, queue_notifications
from members.audit import record_audit
from members.models import Association, ContactMessage
from members.notifications import CONTACT_MESSAGE
from members.recipients import admins_by_association
from members.services.common import lock_association

# The service; sender_key is the page's way of naming the sender.
__all__ = ["send_contact_message"]


def sender_key(address: str) -> str:
    """A keyed hash of a network address: messages of one sender can be counted, the
    address itself is not kept."""
    return salted_hmac("members.contact-sender", address).hexdigest()


def send_contact_message(
    *, association: Association, name: str, email: str, body: str, sender: str
) -> ContactMessage:
    """Record the message and send it to the admins (notifications outbox); refused (429)
    past the per-sender and per-association limits. `sender` is the key of the sender's
    address (`sender_key`)."""
    if not association.is_public:
        raise DomainError(
            _("This association has no public page."), code="not_public", http_status=404
        )
    with transaction.atomic():
        lock_association(association.pk)  # one count at a time per association
        _check_limits(association, sender, email)
        message = ContactMessage.objects.create(
            association=association,
            sender_name=name.strip(),
            sender_email=email.strip(),
            body=body.strip(),
            sender_key=sender,
        )
        record_audit(action="contact.received", actor=None, association=association, target=message)
        _tell_the_admins(association, message)
    return message


def _tell_the_admins(association: Association, message: ContactMessage) -> None:
    context = {
        "name": association.name,
        "sender": message.sender_name,
        "sender_email": message.sender_email,
        "message": message.body,
    }
    admins = admins_by_association([association.pk]).get(association.pk, [])
    queue_notifications(
        Message(admin, CONTACT_MESSAGE, f"contact:{message.pk}", association, context)
        for admin in admins
    )


def _check_limits(association: Association, sender: str, email: str) -> None:
    now = timezone.now()
    recent = ContactMessage.objects.filter(created_at__gte=now - dt.timedelta(hours=1))
    from_sender = recent.filter(sender_key=sender).count() + (
        recent.filter(sender_email__iexact=email.strip()).exclude(sender_key=sender).count()
    )
    if from_sender >= settings.CONTACT_LIMIT_PER_SENDER_HOUR:
        raise _too_many(_("You have sent several messages in the last hour: try again later."))
    today = ContactMessage.objects.filter(
        association=association, created_at__gte=now - dt.timedelta(days=1)
    ).count()
    if today >= settings.CONTACT_LIMIT_PER_ASSOCIATION_DAY:
        raise _too_many(_("The association received many messages today: try again tomorrow."))


def _too_many(message: object) -> DomainError:
    return DomainError(str(message), code="rate_limited", http_status=429)
