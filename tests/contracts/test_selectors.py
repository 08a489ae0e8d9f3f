"""Reads: who is covered for which car, outdated agreements, what each member sees."""

import datetime as dt

import pytest
import time_machine

from contracts.models import Agreement
from contracts.selectors import (
    agreement_status_for,
    agreement_status_map,
    coverage_of,
    filter_agreements,
    find_outdated_agreements,
    state_counts,
    visible_agreements,
)
from tests.factories.contracts import AgreementFactory
from tests.factories.members import MembershipFactory
from tests.factories.vehicles import owned_vehicle
from vehicles.models import InsurancePolicy, Tariff, Vehicle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2025, 6, 10, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def test_an_owner_is_covered_for_their_own_car(car, owner):
    assert agreement_status_for(membership=owner, vehicle=car) == "current"


def test_a_member_without_an_agreement_is_not_covered(car, driver):
    assert agreement_status_for(membership=driver, vehicle=car) == "none"
    AgreementFactory(vehicle=car, driver=driver, status=Agreement.Status.PRINTED, signed_on=None)
    assert agreement_status_for(membership=driver, vehicle=car) == "none"


def test_a_signed_agreement_covers_until_its_terms_change(car, driver):
    AgreementFactory(vehicle=car, driver=driver)
    assert agreement_status_for(membership=driver, vehicle=car) == "current"
    Tariff.objects.filter(vehicle=car).update(price_per_km="0.35")
    # Seen at once, before the nightly job marks the agreement.
    assert agreement_status_for(membership=driver, vehicle=car) == "outdated"


def test_an_agreement_marked_to_re_sign_is_outdated(car, driver):
    AgreementFactory(vehicle=car, driver=driver, status=Agreement.Status.TO_RESIGN)
    assert agreement_status_for(membership=driver, vehicle=car) == "outdated"


def test_an_ended_agreement_covers_nothing(car, driver):
    AgreementFactory(vehicle=car, driver=driver, status=Agreement.Status.ENDED)
    assert agreement_status_for(membership=driver, vehicle=car) == "none"


def test_the_status_map_answers_for_every_pair_in_few_queries(
    association, car, owner, driver, django_assert_max_num_queries
):
    other = MembershipFactory(association=association)
    second_car = owned_vehicle(other)
    AgreementFactory(vehicle=car, driver=driver)
    AgreementFactory(vehicle=second_car, driver=driver)
    AgreementFactory(vehicle=car, driver=other, status=Agreement.Status.TO_RESIGN)
    Tariff.objects.filter(vehicle=second_car).update(price_per_km="0.50")
    with django_assert_max_num_queries(4):
        statuses = agreement_status_map(association=association)
    assert statuses == {
        (driver.pk, car.pk): "current",
        (driver.pk, second_car.pk): "outdated",
        (other.pk, car.pk): "outdated",
        (owner.pk, car.pk): "current",
        (other.pk, second_car.pk): "current",
    }


def test_finding_outdated_agreements_costs_the_same_for_many(
    association, owner, django_assert_num_queries
):
    cars = [owned_vehicle(owner) for _ in range(3)]
    for car in cars:
        for _ in range(2):
            AgreementFactory(vehicle=car)
    InsurancePolicy.objects.filter(vehicle=cars[0]).update(deductible="900.00")
    Vehicle.objects.filter(pk=cars[1].pk).update(key_mode="spare")
    with django_assert_num_queries(3):
        found = find_outdated_agreements(association=association)
    reasons = sorted((item.agreement.vehicle_id, item.reasons) for item in found)
    assert reasons == sorted(
        [(cars[0].pk, ("deductible",))] * 2 + [(cars[1].pk, ("key_option",))] * 2
    )


def test_members_see_their_agreements_and_those_of_their_cars(
    association, admin, car, owner, driver
):
    mine = AgreementFactory(vehicle=car, driver=driver)
    someone = MembershipFactory(association=association)
    theirs = AgreementFactory(
        vehicle=owned_vehicle(someone), driver=MembershipFactory(association=association)
    )
    assert set(visible_agreements(driver)) == {mine}
    assert set(visible_agreements(owner)) == {mine}
    assert set(visible_agreements(admin)) == {mine, theirs}
    assert set(visible_agreements(someone)) == {theirs}


def test_filters_and_counts(admin, car, driver, association):
    draft = AgreementFactory(vehicle=car, status=Agreement.Status.DRAFT, signed_on=None)
    signed = AgreementFactory(vehicle=car, driver=driver)
    everything = visible_agreements(admin)
    assert list(filter_agreements(everything, state="to_print")) == [draft]
    assert list(filter_agreements(everything, state="signed", vehicle_id=car.pk)) == [signed]
    assert filter_agreements(everything, state="to_resign").count() == 0
    assert state_counts(admin) == {
        "to_print": 1,
        "to_sign": 0,
        "to_resign": 0,
        "signed": 1,
        "ended": 0,
    }


def test_coverage_lists_every_active_car_of_the_association(association, car, driver, outsider):
    owned_vehicle(outsider)  # another association's car
    AgreementFactory(vehicle=car, driver=driver)
    rows = coverage_of(driver)
    assert [(row.vehicle, row.status, row.is_owner) for row in rows] == [(car, "current", False)]
