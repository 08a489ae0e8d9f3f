import datetime as dt

import pytest

from ledger import demo
from ledger.models import LedgerTransaction
from members import demo as members_demo
from members.models import Association, Membership
from tests.factories.ledger import tariffed_vehicle
from tests.ledger.helpers import assert_ledger_consistent
from vehicles.models import Tariff, Vehicle

pytestmark = pytest.mark.django_db


def owner(email):
    return Membership.objects.get(user__email=email, association__slug="villerouge")


@pytest.fixture
def villerouge(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    members_demo.seed(lambda line: None)
    return Association.objects.get(slug="villerouge")


@pytest.fixture
def demo_cars(villerouge):
    since = dt.date(2020, 1, 1)
    camille, bruno = owner("camille@villerouge.example"), owner("bruno@villerouge.example")
    tariffed_vehicle(villerouge, owners=[(camille, 100)], name="Clio", valid_from=since)
    tariffed_vehicle(
        villerouge,
        owner_kind=Vehicle.OwnerKind.COMMUNE,
        name="Zoé de la mairie",
        valid_from=since,
        price_per_km="0.180",
        price_per_hour="1.00",
        daily_hour_cap="10.00",
    )
    tariffed_vehicle(
        villerouge,
        owners=[(bruno, 50), (camille, 50)],
        name="Kangoo",
        valid_from=since,
        price_per_km="0.220",
        fuel_policy=Tariff.FuelPolicy.REFILL,
    )


def test_the_demo_posts_on_the_demo_cars_once(villerouge, demo_cars):
    lines = []
    demo.seed(lines.append)
    count = LedgerTransaction.objects.count()
    demo.seed(lines.append)
    assert LedgerTransaction.objects.count() == count
    fuel = LedgerTransaction.objects.get(reference="demo:fuel-clio-bruno")
    assert str(fuel.amount) == "32.40"
    insurance = LedgerTransaction.objects.get(reference="demo:insurance-kangoo")
    assert (str(insurance.amount), insurance.category) == ("486.00", "insurance")
    # The trips and their charges come from the logbook (bookings/demo.py) only.
    assert not LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.TRIP).exists()
    assert not [line for line in lines if "skipped" in line]
    assert_ledger_consistent(villerouge)


def test_missing_cars_are_skipped_with_a_note(villerouge):
    lines = []
    demo.seed(lines.append)
    assert any("skipped demo:fuel-clio-bruno" in line for line in lines)
    assert_ledger_consistent(villerouge)


def test_without_villerouge_nothing_happens(db):
    lines = []
    demo.seed(lines.append)
    assert lines == ["ledger: no villerouge association, nothing to post"]
