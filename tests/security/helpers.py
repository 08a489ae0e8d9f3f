"""The cast of the money and paper-path abuse cases, after the demo data of the issue:
camille and bruno co-own a car (fuel included in its price); lea is 19 with a licence of
10 months; the association's admin; the admin of another association."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rest_framework.test import APIClient

from bookings.models import Booking, Trip
from members.models import Membership
from tests.factories.bookings import BookingFactory
from tests.factories.members import DriverProfileFactory, MembershipFactory
from tests.factories.vehicles import (
    InsurancePolicyFactory,
    TariffFactory,
    VehicleFactory,
    VehicleOwnershipFactory,
)
from vehicles.models import InsurancePolicy, Vehicle


def driver(association, **profile) -> Membership:
    membership = MembershipFactory(association=association)
    DriverProfileFactory(user=membership.user, **profile)
    return membership


def co_owned_car(first: Membership, second: Membership, **fields) -> Vehicle:
    """A car co-owned 50/50, insured (young drivers forbidden), fuel included in its price."""
    vehicle = VehicleFactory(
        association=first.association, owner_kind=Vehicle.OwnerKind.CO_OWNERS, **fields
    )
    VehicleOwnershipFactory(vehicle=vehicle, owner=first, share=Decimal("50"))
    VehicleOwnershipFactory(vehicle=vehicle, owner=second, share=Decimal("50"))
    InsurancePolicyFactory(
        vehicle=vehicle,
        young_driver_rule=InsurancePolicy.YoungDriverRule.FORBIDDEN,
        min_licence_years=2,
    )
    TariffFactory(vehicle=vehicle)
    return vehicle


def trip_under_way(vehicle: Vehicle, who: Membership, started: dt.datetime) -> Booking:
    """A booking of `who` checked out at `started` (odometer 88,010), ending 3 hours later."""
    booking = BookingFactory(
        vehicle=vehicle,
        driver=who,
        start=started,
        end=started + dt.timedelta(hours=3),
        status=Booking.Status.IN_PROGRESS,
    )
    Trip.objects.create(
        booking=booking, odometer_out=88_010, fuel_level_out=50, checked_out_at=started
    )
    return booking


def api_for(membership: Membership) -> APIClient:
    client = APIClient()
    client.force_authenticate(membership.user)
    return client
