"""The admins write to the members: an announcement is a row first, then one notification
per member of its audience (in the app and by e-mail, as each member chose), queued by the
"announcements" job. The outbox's key is the announcement's, so a member gets it once, even
when the job runs twice or in two workers at once."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.models import Announcement
from bookings.notifications import ANNOUNCEMENT
from bookings.selectors.audiences import audience_members
from core.errors import DomainError
from core.notices import Message, QueueResult, link, queue_notifications
from core.queue import enqueue_on_commit
from members.audit import record_audit
from members.models import Membership
from members.permissions import Actor, require_admin
from notifications.tasks import run_scheduled_job
from vehicles.models import Vehicle

ANNOUNCEMENTS_JOB = "announcements"
AUDIENCE_CODE = re.compile(r"vehicle:([0-9]{1,18})")

# The services; parse_audience is a read the page and the API share.
__all__ = ["deliver_announcement", "publish_announcement"]


def parse_audience(actor: Membership, code: str) -> tuple[str, Vehicle | None]:
    """("all" | "owners" | "vehicle", the car) from "all", "owners" or "vehicle:<id>"; a car
    of another association is refused like one that does not exist."""
    code = code.strip()
    if code in (Announcement.Audience.ALL, Announcement.Audience.OWNERS):
        return code, None
    match = AUDIENCE_CODE.fullmatch(code)
    if match is None:
        raise DomainError(
            _("Choose who reads it: all, owners, or vehicle:<number of a car>."),
            code="invalid_audience",
            field="audience",
        )
    vehicle = Vehicle.objects.filter(
        association_id=actor.association_id, pk=int(match.group(1))
    ).first()
    if vehicle is None:
        raise DomainError(
            _("The association has no car with this number."),
            code="unknown_vehicle",
            field="audience",
        )
    return Announcement.Audience.VEHICLE, vehicle


def publish_announcement(
    *, actor: Membership, subject: str, body: str, audience: str, vehicle: Vehicle | None = None
) -> Announcement:
    """An admin's announcement, queued for delivery after commit."""
    require_admin(actor)
    subject, body = " ".join(subject.split()), body.strip()
    _require(subject, "subject", _("Give the announcement a subject."))
    _require(body, "body", _("Write the message."))
    if (audience == Announcement.Audience.VEHICLE) != (vehicle is not None) or (
        vehicle is not None and vehicle.association_id != actor.association_id
    ):
        raise DomainError(
            _("The association has no car with this number."),
            code="unknown_vehicle",
            field="audience",
        )
    with transaction.atomic():
        announcement = Announcement.objects.create(
            association=actor.association,
            author=actor.user,
            subject=subject,
            body=body,
            audience=audience,
            vehicle=vehicle,
            recipients=len(audience_members(actor.association, audience, vehicle)),
        )
        record_audit(
            action="announcement.published",
            actor=actor.user,
            association=actor.association,
            target=announcement,
            data={"audience": announcement.audience_code},
        )
        enqueue_on_commit(run_scheduled_job, ANNOUNCEMENTS_JOB)
    return announcement


def _require(value: str, field: str, message: object) -> None:
    if not value:
        raise DomainError(str(message), code="required", field=field)


def deliver_announcement(*, actor: Actor, announcement: Announcement) -> QueueResult:
    """One notification per member of the audience (as it is now); a second run, or a
    concurrent one, creates nothing more (the job, a SystemActor of the association)."""
    require_admin(actor, announcement.association_id)
    with transaction.atomic():
        locked = (
            Announcement.objects.select_for_update(of=("self",))
            .select_related("association", "vehicle", "author")
            .get(pk=announcement.pk)
        )
        members = audience_members(locked.association, locked.audience, locked.vehicle)
        result = queue_notifications(_messages(locked, members))
        if locked.delivered_at is None:
            locked.delivered_at = timezone.now()
            locked.recipients = len(members)
            locked.save(update_fields=["delivered_at", "recipients"])
    return result


def _messages(announcement: Announcement, members: Sequence[Membership]) -> list[Message]:
    association = announcement.association
    context = {
        "subject": announcement.subject,
        "body": announcement.body,
        "name": association.name,
        "author": announcement.author.display_name if announcement.author else association.name,
        "vehicle": announcement.vehicle.name if announcement.vehicle else "",
    }
    url = link("members:home", slug=association.slug)
    key = f"announcement:{announcement.pk}"
    return [
        Message(member.user, ANNOUNCEMENT, key, association, context, url) for member in members
    ]
