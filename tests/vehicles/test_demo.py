import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from core.timeutils import local_today
from members import demo as members_demo
from members.models import Membership
from vehicles import demo, selectors
from vehicles.models import InsurancePolicy, MaintenanceEvent, Tariff, Vehicle, VehicleDocument
from vehicles.status import VehicleStatus

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def seeded():
    members_demo.seed(lambda line: None)
    demo.seed(lambda line: None)


def _car(name):
    return Vehicle.objects.get(name=name, association__slug="villerouge")


def _owners(vehicle):
    return {(s.owner.user.email, s.share) for s in vehicle.ownerships.select_related("owner__user")}


def test_the_clio_is_camilles_with_its_rules(seeded):
    clio = _car("Clio")
    assert (clio.make, clio.model, clio.plate) == ("Renault", "Clio", "FG-481-KT")
    assert _owners(clio) == {("camille@villerouge.example", D("100"))}
    assert clio.approval_required
    policy = selectors.active_policy(clio)
    assert policy.cover == InsurancePolicy.Cover.COMPREHENSIVE
    assert policy.deductible == D("500.00")
    assert policy.young_driver_rule == InsurancePolicy.YoungDriverRule.FORBIDDEN
    tariff = selectors.tariff_on(clio, local_today(clio.association.tz))
    assert (tariff.price_per_km, tariff.fuel_policy) == (D("0.300"), Tariff.FuelPolicy.INCLUDED)
    assert tariff.calculation["result"]["total_per_km"] == "0.299"
    assert tariff.depreciation_per_km == D("0.060")


def test_the_zoe_belongs_to_the_commune(seeded):
    zoe = _car("Zoé de la mairie")
    assert zoe.energy == Vehicle.Energy.ELECTRIC
    assert zoe.owner_kind == Vehicle.OwnerKind.COMMUNE and not _owners(zoe)
    assert not zoe.approval_required
    policy = selectors.active_policy(zoe)
    assert policy.deductible == D("300.00")
    assert policy.young_driver_rule == InsurancePolicy.YoungDriverRule.HIGHER_DEDUCTIBLE
    assert policy.young_driver_deductible == D("800.00")
    tariff = selectors.tariff_on(zoe, local_today(zoe.association.tz))
    assert (tariff.price_per_km, tariff.price_per_hour, tariff.daily_hour_cap) == (
        D("0.180"),
        D("1.00"),
        D("10.00"),
    )


def test_the_kangoo_is_shared_half_and_half(seeded):
    kangoo = _car("Kangoo")
    assert _owners(kangoo) == {
        ("bruno@villerouge.example", D("50")),
        ("camille@villerouge.example", D("50")),
    }
    policy = selectors.active_policy(kangoo)
    assert policy.cover == InsurancePolicy.Cover.THIRD_PARTY
    assert policy.min_licence_years == 2


def test_saint_martin_has_one_car(seeded):
    assert Vehicle.objects.filter(association__slug="saint-martin").count() == 1


def test_every_demo_row_passes_the_model_rules(seeded):
    for model in (Vehicle, InsurancePolicy, Tariff, VehicleDocument, MaintenanceEvent):
        for row in model.objects.all():
            row.full_clean()


def test_the_demo_shows_valid_insurance_and_the_clio_test_due_soon(seeded):
    camille = Membership.objects.get(user__email="camille@villerouge.example")
    today = local_today(camille.association.tz)
    badges = {
        s.vehicle.name: [b.status for b in s.badges]
        for s in selectors.fleet_summaries(camille.association, camille, today)
    }
    assert badges == {
        "Clio": [VehicleStatus.ROADWORTHINESS_DUE],
        "Kangoo": [],
        "Zoé de la mairie": [],
    }


def test_seeding_twice_changes_nothing_even_on_another_day(seeded):
    counts = [
        m.objects.count()
        for m in (Vehicle, InsurancePolicy, Tariff, VehicleDocument, MaintenanceEvent)
    ]
    with time_machine.travel(dt.datetime(2031, 5, 5, 12, 0, tzinfo=dt.UTC)):
        demo.seed(lambda line: None)
    assert counts == [
        m.objects.count()
        for m in (Vehicle, InsurancePolicy, Tariff, VehicleDocument, MaintenanceEvent)
    ]
