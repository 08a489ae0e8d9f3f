"""The owners' monthly summary: each member who owns a car hears once a month (in the app
and by e-mail) what their cars did the month before — trips, km, fuel, money received,
incidents — and the bookings to come.

A scheduled job (`owner_summaries`, bookings.scans). The key is per owner and per month,
so running it again, in two workers, or every day of the month sends each summary once; a
run missed on the first of the month (an outage) is caught up the next day. A car counts
from the month after it joined the fleet.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from bookings.notifications import OWNER_MONTHLY_SUMMARY
from bookings.selectors.notebook import CarMonth, month_of_cars, received_by_owner
from core.notices import Message, ScanCounts, link, queue_notifications
from core.scanning import batched
from core.timeutils import add_months, make_local
from members.models import Association, Membership
from vehicles.models import Vehicle, VehicleOwnership


def summarise_last_month(*, now: dt.datetime) -> ScanCounts:
    """Each active owner's summary of last month (association's zone), once."""
    counts = ScanCounts()
    owners = (
        Membership.objects.filter(
            status=Membership.Status.ACTIVE,
            user__is_active=True,
            vehicle_ownerships__isnull=False,
        )
        .distinct()
        .select_related("association", "user")
    )
    for batch in batched(owners):
        counts.checked += len(batch)
        counts.add(queue_notifications(_messages(batch, now)))
    return counts


def last_month(association: Association, now: dt.datetime) -> dt.date:
    """The first day of the month before `now`, in the association's zone."""
    return add_months(now.astimezone(association.tz).date().replace(day=1), -1)


def _messages(owners: list[Membership], now: dt.datetime) -> list[Message]:
    cars_of = _cars_by_owner(owners)
    by_association: dict[int, list[Membership]] = defaultdict(list)
    for owner in owners:
        by_association[owner.association_id].append(owner)
    messages: list[Message] = []
    for members in by_association.values():
        messages += _association_messages(members, cars_of, now)
    return messages


def _cars_by_owner(owners: list[Membership]) -> dict[int, list[Vehicle]]:
    cars: dict[int, list[Vehicle]] = defaultdict(list)
    shares = VehicleOwnership.objects.filter(owner__in=owners).select_related(
        "vehicle__association"
    )
    for share in shares.order_by("vehicle__name", "pk"):
        cars[share.owner_id].append(share.vehicle)
    return cars


def _association_messages(
    owners: list[Membership], cars_of: dict[int, list[Vehicle]], now: dt.datetime
) -> list[Message]:
    """One association's owners: its cars' month computed once, each owner's share of it."""
    association = owners[0].association
    first = last_month(association, now)
    month_end = make_local(add_months(first, 1), dt.time(0), association.tz)
    cars = {
        car.pk: car for owner in owners for car in cars_of[owner.pk] if car.created_at < month_end
    }
    months = {
        m.vehicle.pk: m
        for m in month_of_cars(list(cars.values()), None, first.year, first.month, now)
    }
    received = received_by_owner(list(cars.values()), first.year, first.month)
    url = link("bookings:owner_month", slug=association.slug)
    return [
        Message(
            owner.user,
            OWNER_MONTHLY_SUMMARY,
            f"owner:{owner.pk}:{first:%Y-%m}",
            association,
            {"month": first, "cars": _lines(owner, cars_of[owner.pk], months, received)},
            f"{url}?month={first:%Y-%m}" if url else "",
        )
        for owner in owners
        if any(car.pk in months for car in cars_of[owner.pk])
    ]


def _lines(
    owner: Membership,
    cars: list[Vehicle],
    months: dict[int, CarMonth],
    received: dict[tuple[int, int], Decimal],
) -> list[dict[str, Any]]:
    """Plain data for the texts: one line a car."""
    return [
        {
            "name": months[car.pk].vehicle.name,
            "trips": months[car.pk].trip_count,
            "km": months[car.pk].km,
            "fuel": months[car.pk].fuel_receipts,
            "received": received.get((car.pk, owner.pk), Decimal("0.00")),
            "incidents": len(months[car.pk].incidents),
            "upcoming": len(months[car.pk].upcoming),
        }
        for car in cars
        if car.pk in months
    ]
