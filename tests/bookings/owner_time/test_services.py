import datetime as dt

import pytest

from bookings.models import Booking, Unavailability, UsageCap
from bookings.services.owner_time import (
    Block,
    block_period,
    remove_usage_cap,
    set_usage_cap,
    unblock_period,
)
from core.errors import ConflictError, DomainError, ForbiddenError
from members.models import AuditEntry
from tests.bookings.owner_time.conftest import WORKING_DAYS, at
from tests.factories.bookings import BookingFactory

pytestmark = pytest.mark.django_db


def test_the_owner_blocks_weekday_mornings(camille, clio):
    rule = block_period(
        actor=camille, vehicle=clio, block=Block(at(19, 7, 30), at(19, 9), "Travail", WORKING_DAYS)
    )
    assert rule.is_repeated and rule.created_by == camille
    assert AuditEntry.objects.filter(action="vehicle.period_blocked").exists()


def test_an_admin_may_block_for_the_owner(admin, clio):
    assert block_period(actor=admin, vehicle=clio, block=Block(at(19, 7), at(19, 9))).pk


def test_a_member_who_does_not_own_the_car_cannot_block_it(member, clio):
    with pytest.raises(ForbiddenError):
        block_period(actor=member, vehicle=clio, block=Block(at(19, 7), at(19, 9)))
    assert not Unavailability.objects.exists()


def test_another_association_s_member_cannot_block_it(outsider, clio):
    with pytest.raises(ForbiddenError):
        block_period(actor=outsider, vehicle=clio, block=Block(at(19, 7), at(19, 9)))


def test_a_period_that_takes_someone_s_booking_is_refused(camille, member, clio):
    BookingFactory(vehicle=clio, driver=member, start=at(24, 8), end=at(24, 10))
    with pytest.raises(ConflictError) as error:
        block_period(
            actor=camille, vehicle=clio, block=Block(at(19, 7, 30), at(19, 9), "", WORKING_DAYS)
        )
    assert error.value.code == "bookings_in_period"
    assert not Unavailability.objects.exists()


def test_a_cancelled_booking_or_the_owner_s_own_does_not_stop_it(camille, member, clio):
    BookingFactory(
        vehicle=clio,
        driver=member,
        start=at(24, 8),
        end=at(24, 10),
        status=Booking.Status.CANCELLED,
    )
    BookingFactory(vehicle=clio, driver=camille, start=at(25, 8), end=at(25, 10))
    assert block_period(
        actor=camille, vehicle=clio, block=Block(at(19, 7, 30), at(19, 9), "", WORKING_DAYS)
    ).pk


@pytest.mark.parametrize(
    ("block", "code"),
    [
        (Block(at(19, 9), at(19, 7)), "end_before_start"),
        (Block(at(1, 9), at(1, 10)), "in_the_past"),
        (Block(at(19, 7), at(20, 8), "", WORKING_DAYS), "too_long"),
        (Block(at(19, 7), at(19, 8), "", WORKING_DAYS, dt.date(2027, 3, 1)), "until_before_start"),
        (Block(at(19, 7), at(19, 8), "", 200), "weekdays"),
        (Block(at(19, 7), at(19, 8), "x" * 201), "reason"),
        (
            Block(dt.datetime(2150, 1, 1, tzinfo=dt.UTC), dt.datetime(2150, 1, 2, tzinfo=dt.UTC)),
            "out_of_range",
        ),
    ],
)
def test_bad_periods_are_refused_with_a_reason(camille, clio, block, code):
    with pytest.raises(DomainError) as error:
        block_period(actor=camille, vehicle=clio, block=block)
    assert error.value.code == code
    assert not Unavailability.objects.exists()


def test_a_period_is_freed(camille, member, clio, mornings):
    unblock_period(actor=camille, rule=mornings)
    assert not Unavailability.objects.exists()


def test_only_the_car_s_managers_free_it(member, mornings):
    with pytest.raises(ForbiddenError):
        unblock_period(actor=member, rule=mornings)


def test_caps_are_set_replaced_and_removed(camille, member, clio):
    set_usage_cap(actor=camille, vehicle=clio, driver=member, hours_per_month=10)
    cap = set_usage_cap(actor=camille, vehicle=clio, driver=member, hours_per_month=12)
    assert UsageCap.objects.get().hours_per_month == 12
    remove_usage_cap(actor=camille, cap=cap)
    assert not UsageCap.objects.exists()


@pytest.mark.parametrize("hours", [0, -1, 745])
def test_absurd_caps_are_refused(camille, member, clio, hours):
    with pytest.raises(DomainError) as error:
        set_usage_cap(actor=camille, vehicle=clio, driver=member, hours_per_month=hours)
    assert error.value.code == "hours_invalid"


def test_a_driver_cannot_cap_someone_else_nor_lift_their_own_cap(camille, member, clio):
    with pytest.raises(ForbiddenError):
        set_usage_cap(actor=member, vehicle=clio, driver=None, hours_per_month=744)
    cap = set_usage_cap(actor=camille, vehicle=clio, driver=member, hours_per_month=5)
    with pytest.raises(ForbiddenError):
        remove_usage_cap(actor=member, cap=cap)


def test_a_cap_for_a_member_of_another_association_is_refused(camille, outsider, clio):
    with pytest.raises(DomainError) as error:
        set_usage_cap(actor=camille, vehicle=clio, driver=outsider, hours_per_month=5)
    assert error.value.code == "foreign"
