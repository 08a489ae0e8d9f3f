"""Shared test helpers for bookings."""

from __future__ import annotations

from bookings.models import Booking


def overlapping_pairs(vehicle) -> list[tuple[int, int]]:
    """Pairs of blocking bookings of `vehicle` whose [start, blocks_until) meet."""
    bookings = list(
        Booking.objects.filter(vehicle=vehicle, status__in=Booking.BLOCKING_STATUSES).order_by(
            "start"
        )
    )
    pairs = []
    for index, first in enumerate(bookings):
        for second in bookings[index + 1 :]:
            if second.start < first.blocks_until and first.start < second.blocks_until:
                pairs.append((first.pk, second.pk))
    return pairs


def shared_vehicle(owner, *drivers, **kwargs):
    """A vehicle owned by `owner`, with a signed, current agreement for each driver."""
    from tests.factories.contracts import AgreementFactory
    from tests.factories.vehicles import owned_vehicle

    vehicle = owned_vehicle(owner, **kwargs)
    for driver in drivers:
        AgreementFactory(vehicle=vehicle, driver=driver)
    return vehicle
