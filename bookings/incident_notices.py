"""Who hears about an incident, through the notifications outbox: its report (the car's
owners and the admins), a reply (the others involved), its decision (the driver charged,
the owners). Called inside the service's transaction; the outbox sends after commit."""

from __future__ import annotations

from bookings.models import Incident, IncidentReply


def reported(incident: Incident) -> None:
    """The notification kinds arrive with the notifications app (issue 13)."""


def replied(incident: Incident, reply: IncidentReply) -> None:
    """The notification kinds arrive with the notifications app (issue 13)."""


def decided(incident: Incident) -> None:
    """The notification kinds arrive with the notifications app (issue 13)."""
