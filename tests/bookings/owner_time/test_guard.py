"""A booking that touches an owner's blocked period is refused with `vehicle_unavailable`
on every path that creates or moves one; the blocker's own bookings go through."""

import datetime as dt

import pytest

from bookings.eligibility import check_eligibility
from bookings.models import Booking
from bookings.selectors.availability import free_vehicles
from bookings.selectors.owner_time import occurrences
from bookings.services.bookings import LateReturn, create_booking, report_late_return
from bookings.services.logbook import LogbookLine, enter_past_trip
from bookings.services.owner_time import Block, block_period, set_usage_cap
from bookings.services.trips import Reading
from core.errors import ConflictError, ForbiddenError
from tests.bookings.owner_time.conftest import PARIS, at
from tests.factories.bookings import BookingFactory

pytestmark = pytest.mark.django_db


def book(driver, vehicle, start, end):
    return create_booking(actor=driver, driver=driver, vehicle=vehicle, start=start, end=end)


def test_a_booking_inside_the_blocked_morning_is_refused(member, clio, mornings):
    with pytest.raises(ConflictError) as error:
        book(member, clio, at(22, 8), at(22, 10))  # Monday 08:00
    assert error.value.code == "vehicle_unavailable"
    assert "Trajet travail" in str(error.value.message)
    assert not Booking.objects.exists()


def test_a_booking_after_the_morning_or_on_a_weekend_goes_through(member, clio, mornings):
    assert book(member, clio, at(22, 9), at(22, 12)).status == Booking.Status.CONFIRMED
    assert book(member, clio, at(20, 7), at(20, 10)).status == Booking.Status.CONFIRMED  # Sat


def test_the_car_must_be_back_before_the_morning_buffer_included(member, clio, mornings):
    clio.buffer_minutes = 30
    clio.save()
    with pytest.raises(ConflictError) as error:
        book(member, clio, at(22, 6), at(22, 7, 15))  # back 07:15 + 30 min > 07:30
    assert error.value.code == "vehicle_unavailable"
    assert book(member, clio, at(22, 6), at(22, 7)).pk


def test_the_morning_keeps_its_wall_clock_time_across_the_clock_change(member, clio, mornings):
    # Monday 29 March 2027, after the clocks went forward: 07:30 Paris is 05:30 UTC.
    monday = list(occurrences(mornings, at(29, 0), at(30, 0), PARIS))
    assert [(p.start.astimezone(PARIS).time(), p.end.astimezone(PARIS).time()) for p in monday] == [
        (dt.time(7, 30), dt.time(9))
    ]
    assert monday[0].start == dt.datetime(2027, 3, 29, 5, 30, tzinfo=dt.UTC)
    with pytest.raises(ConflictError):
        book(member, clio, at(29, 7, 45), at(29, 8, 30))
    assert book(member, clio, at(29, 9), at(29, 10)).pk
    # and before the change, 07:30 Paris was 06:30 UTC
    friday = next(occurrences(mornings, at(26, 0), at(27, 0), PARIS))
    assert friday.start == dt.datetime(2027, 3, 26, 6, 30, tzinfo=dt.UTC)


def test_the_owner_books_her_own_morning(camille, clio, mornings):
    assert book(camille, clio, at(22, 7), at(22, 9, 30)).pk


def test_a_co_owner_is_refused_another_owner_s_time(association, camille, mornings):
    from tests.factories.members import DriverProfileFactory, MembershipFactory
    from tests.factories.vehicles import VehicleOwnershipFactory

    bruno = MembershipFactory(association=association)
    DriverProfileFactory(user=bruno.user)
    VehicleOwnershipFactory(vehicle=mornings.vehicle, owner=bruno, share=50)
    with pytest.raises(ConflictError):
        book(bruno, mornings.vehicle, at(23, 8), at(23, 9))


def test_an_admin_booking_for_a_member_is_refused_too(admin, member, clio, mornings):
    with pytest.raises(ConflictError) as error:
        create_booking(actor=admin, driver=member, vehicle=clio, start=at(22, 8), end=at(22, 9))
    assert error.value.code == "vehicle_unavailable"


def test_a_repeated_period_ends_on_its_last_day(camille, member, clio):
    block_period(
        actor=camille,
        vehicle=clio,
        block=Block(at(19, 7, 30), at(19, 9), "", 0b0011111, dt.date(2027, 3, 23)),
    )
    with pytest.raises(ConflictError):
        book(member, clio, at(23, 8), at(23, 9))
    assert book(member, clio, at(24, 8), at(24, 9)).pk


def test_a_one_off_period(camille, member, clio):
    block_period(actor=camille, vehicle=clio, block=Block(at(25, 14), at(27, 18), "Vacances"))
    with pytest.raises(ConflictError):
        book(member, clio, at(26, 9), at(26, 10))
    assert book(member, clio, at(27, 18), at(27, 20)).pk


def test_the_preview_on_the_booking_page_says_it_before_booking(member, clio, mornings):
    eligibility = check_eligibility(driver=member, vehicle=clio, start=at(22, 8), end=at(22, 9))
    assert "vehicle_unavailable" in eligibility.codes and not eligibility.allowed


def test_a_late_return_cannot_run_into_the_owner_s_morning(member, clio, mornings):
    booking = BookingFactory(
        vehicle=clio,
        driver=member,
        start=at(22, 5),
        end=at(22, 7),
        status=Booking.Status.IN_PROGRESS,
    )
    with pytest.raises(ConflictError) as error:
        report_late_return(actor=member, booking=booking, new_end=at(22, 8))
    assert error.value.code == "vehicle_unavailable"
    booking.refresh_from_db()
    assert booking.end == at(22, 7)
    outcome, _next = report_late_return(actor=member, booking=booking, new_end=at(22, 7, 20))
    assert outcome is LateReturn.EXTENDED


def test_the_paper_logbook_goes_through_the_guard(admin, member, camille, clio):
    block_period(actor=camille, vehicle=clio, block=Block(at(18, 11), at(18, 12), ""))
    line = LogbookLine(
        driver=member,
        vehicle=clio,
        start=at(18, 10) - dt.timedelta(days=0),
        end=at(18, 11, 30),
        reading_out=Reading(1000, 50),
        reading_in=Reading(1010, 50),
    )
    from time_machine import travel

    with travel(at(18, 13), tick=False), pytest.raises(ConflictError) as error:
        enter_past_trip(actor=admin, line=line)
    assert error.value.code == "vehicle_unavailable"


def test_availability_does_not_offer_the_car_in_the_morning(
    association, member, camille, clio, mornings
):
    assert clio not in free_vehicles(association, at(22, 8), at(22, 9), driver=member)
    assert clio in free_vehicles(association, at(22, 9), at(22, 10), driver=member)
    # the owner still finds her own car in her own time
    assert clio in free_vehicles(association, at(22, 8), at(22, 9), driver=camille)


def test_a_monthly_cap_refuses_the_booking_that_goes_past_it(camille, member, clio):
    set_usage_cap(actor=camille, vehicle=clio, driver=member, hours_per_month=10)
    book(member, clio, at(22, 10), at(22, 18))  # 8 h
    with pytest.raises(ForbiddenError) as error:
        book(member, clio, at(23, 10), at(23, 13))  # 3 h more: 11 h
    assert error.value.code == "monthly_cap_reached"
    assert "10" in str(error.value.message)
    assert book(member, clio, at(23, 10), at(23, 12)).pk  # exactly 10 h
    assert book(member, clio, at(1, 10, month=4), at(1, 18, month=4)).pk  # April is new


def test_a_cap_for_every_driver_leaves_the_owners_free(camille, member, clio):
    set_usage_cap(actor=camille, vehicle=clio, driver=None, hours_per_month=2)
    with pytest.raises(ForbiddenError):
        book(member, clio, at(22, 10), at(22, 13))
    assert book(camille, clio, at(22, 10), at(22, 20)).pk


def test_a_driver_s_own_cap_wins_over_the_cap_for_everyone(camille, member, clio):
    set_usage_cap(actor=camille, vehicle=clio, driver=None, hours_per_month=2)
    set_usage_cap(actor=camille, vehicle=clio, driver=member, hours_per_month=20)
    assert book(member, clio, at(22, 10), at(22, 20)).pk


def test_a_booking_across_two_months_counts_in_each(camille, member, clio):
    set_usage_cap(actor=camille, vehicle=clio, driver=member, hours_per_month=5)
    with pytest.raises(ForbiddenError):
        book(member, clio, at(31, 12), at(1, 2, month=4))  # 12 h in March
    assert book(member, clio, at(31, 20), at(1, 2, month=4)).pk  # 4 h + 2 h
