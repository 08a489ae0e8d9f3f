"""contracts/demo.py, tested with the demo cars created here (vehicles/demo.py is written
on another branch)."""

import pytest

from contracts import demo
from contracts.models import Agreement
from members import demo as members_demo
from members.models import Membership
from tests.factories.vehicles import InsurancePolicyFactory, TariffFactory, VehicleFactory
from vehicles.models import Vehicle, VehicleOwnership

pytestmark = pytest.mark.django_db


def demo_member(email):
    return Membership.objects.get(user__email=email, association__slug="villerouge")


@pytest.fixture
def demo_world(settings):
    members_demo.seed(lambda line: None)
    villerouge = demo_member("admin@villerouge.example").association
    camille, bruno = (
        demo_member("camille@villerouge.example"),
        demo_member("bruno@villerouge.example"),
    )
    cars = {}
    for name, kind, owners in [
        ("Clio", Vehicle.OwnerKind.MEMBER, [camille]),
        ("Zoé de la mairie", Vehicle.OwnerKind.COMMUNE, []),
        ("Kangoo", Vehicle.OwnerKind.CO_OWNERS, [camille, bruno]),
    ]:
        car = VehicleFactory(association=villerouge, name=name, owner_kind=kind)
        for owner in owners:
            VehicleOwnership.objects.create(vehicle=car, owner=owner, share=100 // len(owners))
        InsurancePolicyFactory(vehicle=car)
        TariffFactory(vehicle=car)
        cars[name] = car
    return cars


def pairs():
    return sorted(
        (a.driver.user.email.split("@")[0], a.vehicle.name)
        for a in Agreement.objects.filter(status=Agreement.Status.SIGNED)
    )


def test_the_demo_signs_the_documented_agreements_once(demo_world):
    lines = []
    demo.seed(lines.append)
    expected = [
        ("bruno", "Clio"),
        ("bruno", "Kangoo"),
        ("bruno", "Zoé de la mairie"),
        ("camille", "Zoé de la mairie"),
        ("lea", "Zoé de la mairie"),
    ]
    assert pairs() == expected
    assert ("lea", "Clio") not in pairs()
    assert all(a.pdf_sha256 and a.pdf.size > 1000 for a in Agreement.objects.all())
    demo.seed(lines.append)
    assert pairs() == expected
    assert Agreement.objects.count() == 5


def test_a_missing_demo_car_is_skipped_not_fatal(demo_world):
    demo_world["Kangoo"].delete()
    lines = []
    demo.seed(lines.append)
    assert ("bruno", "Kangoo") not in pairs()
    assert any("Kangoo" in line and "skipped" in line for line in lines)


def test_without_the_demo_association_nothing_happens():
    lines = []
    demo.seed(lines.append)
    assert not Agreement.objects.exists()
    assert lines
