import datetime as dt
from decimal import Decimal

import pytest

from members.models import Membership
from tests.factories.members import MembershipFactory
from tests.factories.vehicles import (
    MaintenanceEventFactory,
    TariffFactory,
    VehicleDocumentFactory,
    VehicleFactory,
    VehicleOwnershipFactory,
    owned_vehicle,
)
from vehicles import selectors

pytestmark = pytest.mark.django_db
D = Decimal


def test_tariff_on_a_day_is_the_latest_started_one(member):
    vehicle = owned_vehicle(member)  # 0.300 from 1 January 2025
    TariffFactory(vehicle=vehicle, valid_from=dt.date(2026, 1, 1), price_per_km=D("0.250"))
    assert selectors.tariff_on(vehicle, dt.date(2024, 12, 31)) is None
    assert selectors.tariff_on(vehicle, dt.date(2025, 12, 31)).price_per_km == D("0.300")
    assert selectors.tariff_on(vehicle, dt.date(2026, 1, 1)).price_per_km == D("0.250")
    assert [t.valid_from for t in selectors.upcoming_tariffs(vehicle, dt.date(2025, 6, 1))] == [
        dt.date(2026, 1, 1)
    ]


def test_owners_book_their_own_car_freely(member):
    vehicle = owned_vehicle(
        member, approval_required=True, min_notice_hours=24, max_booking_hours=48, buffer_minutes=30
    )
    rules = selectors.booking_rules(vehicle, member)
    assert rules.may_book and not rules.needs_approval and not rules.charged
    assert (rules.min_notice_hours, rules.max_booking_hours, rules.buffer_minutes) == (0, None, 30)


def test_other_members_get_the_owner_controls(member, association):
    vehicle = owned_vehicle(
        member, approval_required=True, min_notice_hours=24, max_booking_hours=48
    )
    driver = MembershipFactory(association=association)
    rules = selectors.booking_rules(vehicle, driver)
    assert rules.may_book and rules.needs_approval and rules.charged
    assert (rules.min_notice_hours, rules.max_booking_hours) == (24, 48)


def test_a_restricted_car_is_for_its_listed_drivers(member, association):
    vehicle = owned_vehicle(member, drivers_restricted=True)
    listed = MembershipFactory(association=association)
    stranger = MembershipFactory(association=association)
    vehicle.allowed_drivers.add(listed)
    assert selectors.is_allowed_driver(vehicle, listed)
    assert selectors.is_allowed_driver(vehicle, member)  # the owner always may
    assert not selectors.is_allowed_driver(vehicle, stranger)
    assert not selectors.booking_rules(vehicle, stranger).may_book


def test_an_inactive_car_cannot_be_booked_by_others(member, association):
    vehicle = owned_vehicle(member, is_active=False)
    assert not selectors.booking_rules(vehicle, MembershipFactory(association=association)).may_book


def test_co_owners_book_freely_and_approve(member, association):
    other = MembershipFactory(association=association)
    vehicle = VehicleFactory(association=association, owner_kind="co_owners")
    VehicleOwnershipFactory(vehicle=vehicle, owner=member, share=D("50"))
    VehicleOwnershipFactory(vehicle=vehicle, owner=other, share=D("50"))
    assert not selectors.booking_rules(vehicle, other).charged
    assert {m.pk for m in selectors.vehicle_approvers(vehicle)} == {member.pk, other.pk}


def test_admins_approve_for_the_association_or_the_commune(admin, member, association):
    MembershipFactory(association=association, role=Membership.Role.ADMIN, status="left")
    vehicle = VehicleFactory(association=association, owner_kind="commune")
    assert selectors.vehicle_approvers(vehicle) == [admin]
    assert selectors.booking_rules(vehicle, admin).charged  # nobody owns a commune car


def test_maintenance_costs_sum_a_half_open_period(member):
    vehicle = owned_vehicle(member)
    MaintenanceEventFactory(vehicle=vehicle, date=dt.date(2025, 12, 31), cost=D("10.00"))
    MaintenanceEventFactory(vehicle=vehicle, date=dt.date(2026, 1, 1), cost=D("189.90"))
    MaintenanceEventFactory(vehicle=vehicle, date=dt.date(2026, 12, 31), cost=D("0.10"))
    MaintenanceEventFactory(vehicle=vehicle, date=dt.date(2027, 1, 1), cost=D("99.00"))
    total = selectors.maintenance_costs(vehicle, start=dt.date(2026, 1, 1), end=dt.date(2027, 1, 1))
    assert total == D("190.00")
    empty = selectors.maintenance_costs(vehicle, start=dt.date(2030, 1, 1), end=dt.date(2031, 1, 1))
    assert empty == D("0.00")


def test_the_latest_roadworthiness_test_is_the_one_due_last(member):
    vehicle = owned_vehicle(member)
    VehicleDocumentFactory(
        vehicle=vehicle, expires_on=dt.date(2028, 1, 1), issued_on=dt.date(2026, 1, 1)
    )
    VehicleDocumentFactory(
        vehicle=vehicle, expires_on=dt.date(2026, 1, 1), issued_on=dt.date(2024, 1, 1)
    )
    VehicleDocumentFactory(vehicle=vehicle, kind="registration", expires_on=None, issued_on=None)
    assert selectors.latest_roadworthiness(vehicle).expires_on == dt.date(2028, 1, 1)


def test_is_owner_uses_prefetched_shares_without_a_query(
    member, association, django_assert_num_queries
):
    owned_vehicle(member)
    [summary] = selectors.fleet_summaries(association, member, dt.date(2026, 1, 1))
    with django_assert_num_queries(0):
        assert selectors.is_owner(member, summary.vehicle)
        assert summary.can_manage


def test_a_licence_counts_when_recorded_and_not_expired(member, association):
    assert selectors.holds_valid_licence(member)
    assert not selectors.holds_valid_licence(MembershipFactory(association=association))
