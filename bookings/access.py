"""Access functions for bookings: 404 outside the caller's association; 403 for bookings a
member sees in the planning but that are neither theirs nor of a vehicle they manage."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from bookings.models import Announcement, Booking, FuelReceipt, Incident, WaitingEntry
from members.models import Membership
from vehicles.access import can_manage_vehicle
from vehicles.models import Vehicle


def get_booking_for_member(membership: Membership, pk: int) -> Booking:
    """A booking of the member's association, or 404."""
    booking = (
        Booking.objects.select_related("vehicle__association", "driver__user")
        .filter(vehicle__association_id=membership.association_id, pk=pk)
        .first()
    )
    if booking is None:
        raise Http404
    return booking


def is_participant(membership: Membership, booking: Booking) -> bool:
    """The driver, the vehicle's owners and the admins."""
    return booking.driver_id == membership.pk or can_manage_vehicle(membership, booking.vehicle)


def pays_only_themselves(driver: Membership, vehicle: Vehicle) -> bool:
    """The driver alone bears the car's costs (their own car): a refund moves no money."""
    if vehicle.owner_kind not in (Vehicle.OwnerKind.MEMBER, Vehicle.OwnerKind.CO_OWNERS):
        return False
    return [share.owner_id for share in vehicle.ownerships.all()] == [driver.pk]


def may_decide_receipt(membership: Membership, booking: Booking) -> bool:
    """Owners of the car and admins approve its receipts, never their own money paid by
    others: the driver decides only when the car is theirs alone."""
    if not can_manage_vehicle(membership, booking.vehicle):
        return False
    return membership.pk != booking.driver_id or pays_only_themselves(membership, booking.vehicle)


def get_booking_for_participant(membership: Membership, pk: int) -> Booking:
    """A booking the caller drives or manages; 404 outside the association, else 403."""
    booking = get_booking_for_member(membership, pk)
    if not is_participant(membership, booking):
        raise PermissionDenied
    return booking


def get_booking_for_manager(membership: Membership, pk: int) -> Booking:
    """A booking of a vehicle the caller owns or administers; 404 outside, else 403."""
    booking = get_booking_for_member(membership, pk)
    if not can_manage_vehicle(membership, booking.vehicle):
        raise PermissionDenied
    return booking


def get_receipt_for_participant(membership: Membership, pk: int, receipt_pk: int) -> FuelReceipt:
    """A fuel receipt of a booking the caller drives or manages; 404 / 403 as the booking."""
    booking = get_booking_for_participant(membership, pk)
    receipt = (
        FuelReceipt.objects.filter(trip__booking=booking, pk=receipt_pk)
        .select_related("trip__booking__vehicle__association", "trip__booking__driver__user")
        .first()
    )
    if receipt is None:
        raise Http404
    return receipt


def get_waiting_entry_for_member(membership: Membership, pk: int) -> WaitingEntry:
    """The caller's own waiting list entry; 404 for anyone else's (nobody else sees it)."""
    entry = WaitingEntry.objects.filter(member=membership, pk=pk).select_related("vehicle").first()
    if entry is None:
        raise Http404
    return entry


def get_announcement_for_admin(membership: Membership, pk: int) -> Announcement:
    """An announcement of the caller's association; 404 outside, 403 for non-admins."""
    announcement = (
        Announcement.objects.select_related("author", "vehicle")
        .filter(association_id=membership.association_id, pk=pk)
        .first()
    )
    if announcement is None:
        raise Http404
    if not membership.is_admin:
        raise PermissionDenied
    return announcement


def can_view_incident(membership: Membership, incident: Incident) -> bool:
    """Admins, the car's owners, the reporter, the trip's driver, the responsible driver."""
    booking_driver = incident.booking.driver_id if incident.booking is not None else None
    involved = {incident.reported_by_id, incident.responsible_id, booking_driver}
    return membership.pk in involved or can_manage_vehicle(membership, incident.vehicle)


def get_incident_for_member(membership: Membership, pk: int) -> Incident:
    """An incident the caller may see; 404 outside the association, else 403."""
    incident = (
        Incident.objects.select_related(
            "vehicle__association", "booking__driver__user", "reported_by__user"
        )
        .filter(vehicle__association_id=membership.association_id, pk=pk)
        .first()
    )
    if incident is None:
        raise Http404
    if not can_view_incident(membership, incident):
        raise PermissionDenied
    return incident


def can_assess_incident(membership: Membership, incident: Incident) -> bool:
    """The car's owners and the admins record the repair; only admins decide."""
    return can_manage_vehicle(membership, incident.vehicle)


def is_admin(membership: Membership, _incident: Incident) -> bool:
    return membership.is_admin
