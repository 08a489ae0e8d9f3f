"""Who hears about an incident, through the notifications outbox (once per person and
occasion): its report (the car's owners and the admins, at once), a reply (the others
involved), its decision (the driver charged or cleared, the trip's driver, the reporter and
the owners). Called inside the service's transaction; the outbox sends after commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bookings.models import Incident, IncidentReply
from bookings.notifications import INCIDENT_REPLY, INCIDENT_REPORTED, INCIDENT_SETTLED
from core.notices import Kind, Message, link, queue_notifications
from members.models import Membership, User
from members.recipients import admins_by_association
from vehicles.scans import owners_by_vehicle


def reported(incident: Incident) -> None:
    """The car's owners and the admins, except whoever reported it."""
    people = _owners_and_admins(incident)
    _queue(incident, INCIDENT_REPORTED, "reported", people, incident.reported_by)


def replied(incident: Incident, reply: IncidentReply) -> None:
    """Everyone involved hears of a reply, except its author."""
    people = [*_owners_and_admins(incident), *_involved(incident)]
    context = {"author": reply.author.user.display_name, "reply": reply.body}
    _queue(incident, INCIDENT_REPLY, f"reply:{reply.pk}", people, reply.author, context)


def decided(incident: Incident, actor: Membership) -> None:
    """The decision: the people involved and the car's owners, except the admin who took it."""
    owners = owners_by_vehicle([incident.vehicle_id]).get(incident.vehicle_id, [])
    people = [*_involved(incident), *owners]
    context = {
        "settled": incident.status == Incident.Status.SETTLED,
        "responsible": incident.responsible.user.display_name if incident.responsible else "",
        "amount": incident.charged_amount,
        "deductible": incident.deductible_applied,
        "decision": incident.decision,
    }
    _queue(incident, INCIDENT_SETTLED, "decided", people, actor, context)


def _owners_and_admins(incident: Incident) -> list[User]:
    vehicle = incident.vehicle
    owners = owners_by_vehicle([vehicle.pk]).get(vehicle.pk, [])
    return [
        *owners,
        *admins_by_association([vehicle.association_id]).get(vehicle.association_id, []),
    ]


def _involved(incident: Incident) -> list[User]:
    people = [incident.reported_by.user]
    if incident.booking is not None:
        people.append(incident.booking.driver.user)
    if incident.responsible is not None:
        people.append(incident.responsible.user)
    return people


def _queue(
    incident: Incident,
    kind: Kind,
    occasion: str,
    people: Iterable[User],
    author: Membership | None,
    extra: dict[str, Any] | None = None,
) -> None:
    association = incident.vehicle.association
    context = {
        "vehicle": incident.vehicle.name,
        "kind": Incident.Kind(incident.kind).label,  # lazy: in the recipient's language
        "description": incident.description,
        "occurred_at": incident.occurred_at,
        "reported_by": incident.reported_by.user.display_name,
        **(extra or {}),
    }
    url = link("bookings:incident", slug=association.slug, pk=incident.pk)
    skip = author.user_id if author is not None else None
    recipients = {user.pk: user for user in people if user.pk != skip and user.is_active}
    queue_notifications(
        Message(user, kind, f"incident:{incident.pk}:{occasion}", association, context, url)
        for user in recipients.values()
    )
