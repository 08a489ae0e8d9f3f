import pytest
from django.core.management import call_command

from bookings.demo import seed
from bookings.models import Booking, Trip
from members.models import Association, Membership
from tests.factories.vehicles import owned_vehicle

pytestmark = pytest.mark.django_db


def test_demo_bookings_on_the_demo_cars_are_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    association = Association.objects.get(slug="villerouge")
    camille = Membership.objects.get(user__email="camille@villerouge.example")
    for name in ("Clio", "Zoé de la mairie", "Kangoo"):
        if not association.vehicles.filter(name=name).exists():  # before vehicles/demo.py
            owned_vehicle(camille, name=name)
    Booking.objects.filter(vehicle__association=association).delete()
    lines: list[str] = []
    seed(lines.append)
    trips, bookings = Trip.objects.count(), Booking.objects.count()
    assert trips >= 6, lines
    assert Booking.objects.filter(status=Booking.Status.CONFIRMED).exists(), lines
    seed(lines.append)
    assert (Trip.objects.count(), Booking.objects.count()) == (trips, bookings)


def test_demo_skips_when_the_cars_are_missing():
    lines: list[str] = []
    seed(lines.append)
    assert not Booking.objects.exists()
