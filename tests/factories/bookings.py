from __future__ import annotations

import datetime as dt

import factory

from bookings.models import Booking, Trip
from tests.factories.members import MembershipFactory
from tests.factories.vehicles import VehicleFactory


class BookingFactory(factory.django.DjangoModelFactory):
    """A confirmed booking; `blocks_until` follows the vehicle's buffer."""

    class Meta:
        model = Booking

    vehicle = factory.SubFactory(VehicleFactory)
    driver = factory.SubFactory(
        MembershipFactory, association=factory.SelfAttribute("..vehicle.association")
    )
    start = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(hours=3))
    blocks_until = factory.LazyAttribute(
        lambda o: o.end + dt.timedelta(minutes=o.vehicle.buffer_minutes)
    )
    status = Booking.Status.CONFIRMED


class TripFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trip

    booking = factory.SubFactory(BookingFactory, status=Booking.Status.COMPLETED)
    odometer_out = 10_000
    fuel_level_out = 75
    checked_out_at = factory.LazyAttribute(lambda o: o.booking.start)
    odometer_in = 10_050
    fuel_level_in = 60
    checked_in_at = factory.LazyAttribute(lambda o: o.booking.end)
