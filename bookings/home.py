"""The owners' section of the association home page (registered in BookingsConfig.ready()):
their cars, each with its notebook and its open incidents, and the month's summary."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from bookings.models import Incident
from members.models import Membership
from vehicles.models import Vehicle


def owner_cars(membership: Membership) -> dict[str, Any] | None:
    """The member's own cars with their open incidents (one query), or None."""
    cars = list(
        Vehicle.objects.filter(ownerships__owner=membership)
        .annotate(
            open_incidents=Count(
                "incidents", filter=Q(incidents__status__in=Incident.OPEN_STATUSES)
            )
        )
        .order_by("name")
    )
    return {"cars": cars} if cars else None
