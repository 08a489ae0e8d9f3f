"""Who an announcement reaches: the active members of the association, all of them, the
owners of its cars, or the drivers of one car.

The drivers of a car are its owners and the active members who drive it in practice: those
with an agreement in force on it (signed, or to re-sign after a change of terms), and those
whose booking of it (requested, confirmed, in progress or completed) started within the last
DRIVERS_MONTHS months or is still to come. A member who booked it once, long ago, and never
signed for it is no longer told about it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from bookings.models import Announcement, Booking
from contracts.models import Agreement
from core.timeutils import add_months, local_today, make_local
from members.models import Association, Membership
from vehicles.models import Vehicle, VehicleOwnership

DRIVERS_MONTHS = 6
DRIVING_STATUSES = (
    Booking.Status.REQUESTED,
    Booking.Status.CONFIRMED,
    Booking.Status.IN_PROGRESS,
    Booking.Status.COMPLETED,
)


def _active_members(association: Association) -> QuerySet[Membership]:
    return Membership.objects.filter(
        association=association, status=Membership.Status.ACTIVE, user__is_active=True
    ).select_related("user")


def drivers_by_vehicle(
    association: Association, vehicles: list[Vehicle] | None = None
) -> dict[int, set[int]]:
    """Membership ids of each car's drivers (owners, agreements in force, recent bookings):
    three queries whatever the fleet."""
    since = make_local(
        add_months(local_today(association.tz), -DRIVERS_MONTHS), dt.time(0), association.tz
    )
    scope: dict[str, Any] = {"vehicle__association": association}
    if vehicles is not None:
        scope = {"vehicle__in": vehicles}
    drivers: dict[int, set[int]] = defaultdict(set)
    rows = [
        VehicleOwnership.objects.filter(**scope).values_list("vehicle_id", "owner_id"),
        Agreement.objects.filter(status__in=Agreement.IN_FORCE, **scope).values_list(
            "vehicle_id", "driver_id"
        ),
        Booking.objects.filter(status__in=DRIVING_STATUSES, start__gte=since, **scope)
        .values_list("vehicle_id", "driver_id")
        .distinct(),
    ]
    for pairs in rows:
        for vehicle_id, membership_id in pairs:
            drivers[vehicle_id].add(membership_id)
    return drivers


def owner_ids(association: Association) -> set[int]:
    """Members who own or co-own an active car of the association."""
    return set(
        VehicleOwnership.objects.filter(
            vehicle__association=association, vehicle__is_active=True
        ).values_list("owner_id", flat=True)
    )


def audience_members(
    association: Association, audience: str, vehicle: Vehicle | None = None
) -> list[Membership]:
    """The active members an announcement to `audience` reaches, in a stable order."""
    members = _active_members(association).order_by("pk")
    if audience == Announcement.Audience.OWNERS:
        members = members.filter(pk__in=owner_ids(association))
    elif audience == Announcement.Audience.VEHICLE:
        if vehicle is None:
            return []
        members = members.filter(pk__in=drivers_by_vehicle(association, [vehicle])[vehicle.pk])
    return list(members)


def audience_sizes(association: Association) -> dict[str, int]:
    """How many members each audience reaches now ("all", "owners", "vehicle:<id>"), for the
    announcement page (five queries whatever the fleet)."""
    active = set(_active_members(association).values_list("pk", flat=True))
    sizes = {
        Announcement.Audience.ALL.value: len(active),
        Announcement.Audience.OWNERS.value: len(active & owner_ids(association)),
    }
    for vehicle_id, drivers in drivers_by_vehicle(association).items():
        sizes[f"vehicle:{vehicle_id}"] = len(active & drivers)
    return sizes
