"""What the booking page shows, and which actions it offers to whom."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from bookings.access import may_decide_receipt
from bookings.forms import DecisionForm, LateReturnForm
from bookings.models import Booking, Trip
from bookings.selectors.bookings import booking_history
from bookings.selectors.trips import last_parked_at
from bookings.services.bookings import late_report_open
from bookings.services.charges import estimated_cost
from bookings.services.trips import CHECKOUT_OPENS
from members.access import AssociationRequest
from vehicles.access import can_manage_vehicle
from vehicles.selectors import owner_contacts


def booking_context(request: AssociationRequest, booking: Booking) -> dict[str, Any]:
    membership = request.membership
    manager = can_manage_vehicle(membership, booking.vehicle)
    trip = Trip.objects.filter(booking=booking).prefetch_related("photos", "fuel_receipts").first()
    status = booking.status
    now = timezone.now()
    open_statuses = (Booking.Status.REQUESTED, Booking.Status.CONFIRMED)
    return {
        "booking": booking,
        "trip": trip,
        "owners": owner_contacts(booking.vehicle),
        "last_parked_at": last_parked_at(booking.vehicle),
        "can_manage": manager,
        "can_decide_receipts": may_decide_receipt(membership, booking),
        "history": booking_history(booking) if manager else [],
        "can_decide": manager and status == Booking.Status.REQUESTED,
        "can_cancel": status in open_statuses,
        "can_check_out": status == Booking.Status.CONFIRMED
        and booking.start - CHECKOUT_OPENS <= now < booking.end,
        "can_check_in": status == Booking.Status.IN_PROGRESS,
        "can_report_late": late_report_open(booking, now),
        "decision_form": DecisionForm(),
        "late_form": LateReturnForm(initial={"new_end": booking.end}),
        "estimate": estimated_cost(
            driver=booking.driver,
            vehicle=booking.vehicle,
            start=booking.start,
            end=booking.end,
            km=booking.estimated_km,
        ),
    }
