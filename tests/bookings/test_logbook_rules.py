"""The paper logbook follows the booking's rules; an admin overrides them only explicitly."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bookings.models import Booking
from bookings.services.logbook import LogbookLine, enter_past_trip
from bookings.services.trips import Reading
from core.errors import DomainError, ForbiddenError
from members.models import AuditEntry
from tests.factories.contracts import AgreementFactory
from tests.factories.vehicles import owned_vehicle
from tests.security.helpers import driver

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=PARIS)
TRIP = dt.datetime(2026, 11, 20, 9, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def line(vehicle, who, **extra):
    return LogbookLine(
        driver=who,
        vehicle=vehicle,
        start=TRIP,
        end=TRIP + dt.timedelta(hours=3),
        reading_out=Reading(1000, 60),
        reading_in=Reading(1040, 50),
        **extra,
    )


def test_an_agreement_signed_after_the_trip_does_not_cover_it(admin, association):
    vehicle = owned_vehicle(admin)
    bruno = driver(association)
    AgreementFactory(vehicle=vehicle, driver=bruno, signed_on=dt.date(2026, 11, 22))
    with pytest.raises(ForbiddenError) as error:
        enter_past_trip(actor=admin, line=line(vehicle, bruno))
    assert error.value.code == "no_agreement"
    assert "Les règles refusent ce trajet" in str(error.value.message) or "rules refuse" in str(
        error.value.message
    )


def test_an_agreement_signed_before_the_trip_and_ended_since_covers_it(admin, association):
    vehicle = owned_vehicle(admin)
    bruno = driver(association)
    AgreementFactory(
        vehicle=vehicle,
        driver=bruno,
        signed_on=dt.date(2026, 10, 1),
        status="ended",
        ended_at=dt.datetime(2026, 11, 24, 10, tzinfo=PARIS),
    )
    booking = enter_past_trip(actor=admin, line=line(vehicle, bruno))
    assert booking.status == Booking.Status.COMPLETED
    assert not AuditEntry.objects.filter(action="trip.eligibility_override").exists()


def test_an_override_needs_a_reason(admin, association):
    vehicle = owned_vehicle(admin)
    bruno = driver(association)
    with pytest.raises(DomainError) as error:
        enter_past_trip(actor=admin, line=line(vehicle, bruno, override=True, override_reason=" "))
    assert error.value.code == "override_reason_required"
    assert not Booking.objects.exists()


def test_a_higher_deductible_nobody_accepted_on_paper_needs_the_override(admin, association):
    vehicle = owned_vehicle(admin)
    policy = vehicle.insurance_policies.get()
    policy.young_driver_rule = "higher_deductible"
    policy.young_driver_deductible = 1000
    policy.min_driver_age = 21
    policy.save()
    young = driver(
        association, birth_date=dt.date(2007, 1, 1), licence_issued_on=dt.date(2025, 2, 1)
    )
    AgreementFactory(vehicle=vehicle, driver=young, signed_on=dt.date(2026, 1, 1))
    with pytest.raises(ForbiddenError) as error:
        enter_past_trip(actor=admin, line=line(vehicle, young))
    assert error.value.code == "young_driver_deductible"
    booking = enter_past_trip(
        actor=admin,
        line=line(vehicle, young, override=True, override_reason="Franchise acceptée sur papier"),
    )
    assert booking.accepted_deductible is None  # the data do not hold an acceptance
    entry = AuditEntry.objects.get(action="trip.eligibility_override")
    assert entry.data["reasons"] == ["young_driver_deductible"]
