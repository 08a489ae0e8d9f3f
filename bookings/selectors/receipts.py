"""The approval queue of fuel receipts: what waits for a member's decision."""

from __future__ import annotations

from bookings.access import may_decide_receipt
from bookings.models import FuelReceipt
from members.models import Membership

# A queue longer than this is read a page at a time (the oldest first).
QUEUE_SIZE = 200


def receipts_to_decide(membership: Membership) -> list[FuelReceipt]:
    """Pending receipts the member may approve or refuse, by trip, oldest first: on the cars
    they own (admins: every car of the association), never their own money paid by others.
    A fixed number of queries whatever the length of the queue."""
    receipts = (
        FuelReceipt.objects.filter(
            status=FuelReceipt.Status.PENDING,
            trip__booking__vehicle__association_id=membership.association_id,
        )
        .select_related("trip__booking__vehicle__association", "trip__booking__driver__user")
        .prefetch_related("trip__booking__vehicle__ownerships")
        .order_by("trip__checked_in_at", "trip_id", "pk")
    )
    if not membership.is_admin:
        receipts = receipts.filter(trip__booking__vehicle__ownerships__owner=membership)
    return [r for r in receipts[:QUEUE_SIZE] if may_decide_receipt(membership, r.trip.booking)]
