from decimal import Decimal

import pytest

from core.errors import ConflictError, DomainError
from ledger.models import LedgerTransaction
from ledger.services import (
    fund_account,
    post_damage_charge,
    post_fuel_receipt,
    post_trip_charge,
    reverse_transaction,
)
from tests.factories.ledger import members_of, platform, tariffed_vehicle
from tests.factories.members import MembershipFactory
from tests.ledger.conftest import at
from tests.ledger.helpers import assert_ledger_consistent, balance_of, legs_of
from vehicles.models import Tariff, Vehicle

pytestmark = pytest.mark.django_db


@pytest.fixture
def camille(association):
    return MembershipFactory(
        association=association, user__first_name="Camille", user__last_name="Roux"
    )


@pytest.fixture
def bruno(association):
    return MembershipFactory(
        association=association, user__first_name="Bruno", user__last_name="Lefèvre"
    )


@pytest.fixture
def clio(association, camille):
    return tariffed_vehicle(association, owners=[(camille, 100)], name="Clio")


def trip(driver, vehicle, km=123, reference="booking:1", start=(2026, 11, 3, 9), hours=3):
    started = at(*start)
    return post_trip_charge(
        driver=driver,
        vehicle=vehicle,
        km=km,
        started_at=started,
        ended_at=started.replace(hour=started.hour + hours),
        reference=reference,
        actor=platform(vehicle),
    )


def test_bruno_owes_camille_36_90_for_123_km_in_her_clio(association, camille, bruno, clio):
    txn = trip(bruno, clio)
    assert txn.amount == Decimal("36.90")
    assert txn.km == 123
    assert legs_of(txn) == {"Bruno Lefèvre": Decimal("-36.90"), "Camille Roux": Decimal("36.90")}
    assert balance_of(association, bruno) == Decimal("-36.90")
    assert_ledger_consistent(association)


def test_zoe_of_the_town_hall_credits_the_commune(association, bruno):
    zoe = tariffed_vehicle(
        association,
        owner_kind=Vehicle.OwnerKind.COMMUNE,
        name="Zoé de la mairie",
        price_per_km="0.180",
        price_per_hour="1.00",
        daily_hour_cap="10.00",
    )
    txn = trip(bruno, zoe, km=40, hours=7)
    assert txn.amount == Decimal("14.20")
    assert legs_of(txn) == {"Bruno Lefèvre": Decimal("-14.20"), "commune": Decimal("14.20")}


def test_an_association_car_credits_the_fund(association, bruno):
    kangoo = tariffed_vehicle(association, owner_kind=Vehicle.OwnerKind.ASSOCIATION)
    txn = trip(bruno, kangoo, km=10)
    fund = fund_account(association)
    assert {leg.account_id: leg.amount for leg in txn.legs.all()}[fund.pk] == Decimal("3.00")


def test_an_owners_own_trip_costs_nothing_but_its_km_are_recorded(association, camille, clio):
    txn = trip(camille, clio, km=50)
    assert txn.amount == Decimal("15.00")
    assert txn.km == 50
    assert not txn.legs.exists()
    assert balance_of(association, camille) == 0


def test_co_owners_are_credited_by_share_with_the_largest_remainder(association, camille, bruno):
    (lea,) = members_of(association, 1)
    kangoo = tariffed_vehicle(
        association, owners=[(camille, 50), (bruno, 50)], price_per_km="0.333"
    )
    txn = trip(lea, kangoo, km=1)  # 0.333 → 0.33, split 0.17 / 0.16
    amounts = sorted(leg.amount for leg in txn.legs.all())
    assert amounts == [Decimal("-0.33"), Decimal("0.16"), Decimal("0.17")]
    assert_ledger_consistent(association)


def test_a_co_owner_driving_pays_only_the_other_co_owners_share(association, camille, bruno):
    kangoo = tariffed_vehicle(association, owners=[(camille, 60), (bruno, 40)])
    txn = trip(bruno, kangoo, km=100)  # 30.00: Camille's 60 % = 18.00
    assert legs_of(txn) == {"Bruno Lefèvre": Decimal("-18.00"), "Camille Roux": Decimal("18.00")}


def test_the_tariff_in_force_on_the_local_start_date_applies(association, camille, bruno, clio):
    Tariff.objects.create(
        vehicle=clio, valid_from=at(2026, 11, 4).date(), price_per_km=Decimal("0.500")
    )
    # Starts at 23:30 on the 3rd in Paris (22:30 UTC), ends on the 4th: the old tariff.
    started = at(2026, 11, 3, 23, 30)
    txn = post_trip_charge(
        driver=bruno,
        vehicle=clio,
        km=10,
        started_at=started,
        ended_at=at(2026, 11, 4, 1),
        reference="b:2",
        actor=platform(clio),
    )
    assert txn.amount == Decimal("3.00")
    assert txn.date == at(2026, 11, 4).date()  # dated on the local end date


def test_posting_the_same_trip_twice_returns_the_first_posting(association, bruno, clio):
    first = trip(bruno, clio)
    again = trip(bruno, clio)
    assert again.pk == first.pk
    assert LedgerTransaction.objects.count() == 1


def test_other_figures_under_a_used_reference_are_a_conflict(association, bruno, clio):
    trip(bruno, clio)
    with pytest.raises(ConflictError) as error:
        trip(bruno, clio, km=124)
    assert error.value.code == "reference_taken"


def test_a_reversed_trip_can_be_posted_again_under_its_reference(
    association, bruno, clio, frozen_today
):
    first = trip(bruno, clio)
    reverse_transaction(entry=first, reason="wrong km", actor=platform(first))
    corrected = trip(bruno, clio, km=124)
    assert corrected.pk != first.pk
    assert corrected.amount == Decimal("37.20")
    assert balance_of(association, bruno) == Decimal("-37.20")


def test_a_car_without_tariff_cannot_be_charged(association, bruno, camille):
    car = tariffed_vehicle(association, owners=[(camille, 100)], valid_from=at(2027, 1, 1).date())
    with pytest.raises(DomainError) as error:
        trip(bruno, car)
    assert error.value.code == "no_tariff"


def test_a_driver_of_another_association_is_refused(clio, outsider):
    with pytest.raises(DomainError) as error:
        trip(outsider, clio)
    assert error.value.code == "foreign"


def test_bad_trip_facts_are_refused(bruno, clio):
    with pytest.raises(DomainError):
        trip(bruno, clio, km=-5)
    with pytest.raises(DomainError):
        trip(bruno, clio, reference="")


def test_a_fuel_receipt_is_credited_to_the_driver_and_charged_to_the_owner(
    association, camille, bruno, clio
):
    txn = post_fuel_receipt(
        driver=bruno,
        vehicle=clio,
        amount=Decimal("45.12"),
        paid_on=at(2026, 11, 3).date(),
        reference="fuel:1",
        actor=platform(clio),
    )
    assert legs_of(txn) == {"Bruno Lefèvre": Decimal("45.12"), "Camille Roux": Decimal("-45.12")}


def test_no_fuel_refund_when_the_driver_refills(association, camille, bruno):
    car = tariffed_vehicle(
        association, owners=[(camille, 100)], fuel_policy=Tariff.FuelPolicy.REFILL
    )
    with pytest.raises(DomainError) as error:
        post_fuel_receipt(
            driver=bruno,
            vehicle=car,
            amount=Decimal("20"),
            paid_on=at(2026, 11, 3).date(),
            reference="f",
            actor=platform(car),
        )
    assert error.value.code == "fuel_not_included"


def test_a_deductible_charge_is_owed_to_the_owner(association, camille, bruno, clio):
    txn = post_damage_charge(
        driver=bruno,
        vehicle=clio,
        kind=LedgerTransaction.Kind.DEDUCTIBLE,
        amount=Decimal("500"),
        occurred_on=at(2026, 11, 5).date(),
        description="Rétroviseur",
        reference="",
        actor=platform(clio),
    )
    assert legs_of(txn) == {"Bruno Lefèvre": Decimal("-500.00"), "Camille Roux": Decimal("500.00")}
