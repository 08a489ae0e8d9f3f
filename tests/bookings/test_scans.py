"""The booking scans at their boundary times in Europe/Paris, daylight-saving nights
included: reminders, approvals, returns, trips not recorded, and the nightly checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings.eligibility import eligibility_of_booking, eligibility_of_bookings
from bookings.models import Booking
from bookings.scans import (
    scan_approvals,
    scan_booking_starts,
    scan_bookings_without_agreement,
    scan_ineligible_bookings,
    scan_returns,
)
from contracts.models import Agreement
from members.models import DriverProfile, Membership
from notifications.models import Notification
from tests.bookings.helpers import shared_vehicle
from tests.factories.bookings import BookingFactory, TripFactory
from tests.factories.members import DriverProfileFactory, MembershipFactory, UserFactory
from tests.factories.vehicles import VehicleFactory
from tests.notifications.helpers import assert_flat_per_batch, keys_of, paris
from vehicles.models import InsurancePolicy, Vehicle

pytestmark = pytest.mark.django_db


@pytest.fixture
def at(time_machine):
    def travel(moment: dt.datetime) -> None:
        time_machine.move_to(moment, tick=False)

    return travel


def run(scan):
    return scan(now=timezone.now())


@pytest.fixture
def owner(association):
    user = UserFactory(first_name="Camille", phone="06 11 22 33 44")
    DriverProfileFactory(user=user)
    return MembershipFactory(association=association, user=user)


@pytest.fixture
def driver(association):
    user = UserFactory(first_name="Bruno")
    DriverProfileFactory(user=user)
    return MembershipFactory(association=association, user=user)


@pytest.fixture
def clio(owner, driver):
    return shared_vehicle(owner, driver, name="Clio", key_mode=Vehicle.KeyMode.SPARE_KEY)


def book(vehicle, driver, start, hours=3, made_at=None, **fields):
    booking = BookingFactory(
        vehicle=vehicle, driver=driver, start=start, end=start + dt.timedelta(hours=hours), **fields
    )
    Booking.objects.filter(pk=booking.pk).update(created_at=made_at or start - dt.timedelta(days=3))
    booking.refresh_from_db()
    return booking


def stages(user) -> list[str]:
    return [key.split(":")[3] for key in keys_of(user)]


# --- Reminders before the start -------------------------------------------------------------


def test_the_day_before_reminder_keeps_the_wall_clock_time_across_the_spring_night(
    clio, driver, at
):
    # 10:00 on Sunday 29 March 2026, the day clocks go forward: 23 real hours after
    # 10:00 on Saturday, which is when the driver expects "the day before".
    book(clio, driver, paris(2026, 3, 29, 10, 0))
    at(paris(2026, 3, 28, 9, 59))
    assert run(scan_booking_starts).created == 0
    at(paris(2026, 3, 28, 10, 0))
    assert run(scan_booking_starts).created == 1
    notification = Notification.objects.get(recipient=driver.user)
    assert "dimanche 29 mars à 10:00" in notification.subject
    assert run(scan_booking_starts).created == 0


def test_the_day_before_reminder_on_the_autumn_night(clio, driver, at):
    book(clio, driver, paris(2026, 10, 25, 10, 0))  # 25 real hours after 10:00 on the 24th
    at(paris(2026, 10, 24, 9, 59))
    assert run(scan_booking_starts).created == 0
    at(paris(2026, 10, 24, 10, 0))
    assert run(scan_booking_starts).created == 1


def test_the_two_hour_reminder_counts_real_hours_across_the_gap(clio, driver, at):
    # 03:30 on 29 March exists after the gap (01:30 UTC); two real hours before is 00:30.
    book(clio, driver, paris(2026, 3, 29, 3, 30))
    at(paris(2026, 3, 28, 3, 30))
    run(scan_booking_starts)
    at(paris(2026, 3, 29, 0, 29))
    assert run(scan_booking_starts).created == 0
    at(paris(2026, 3, 29, 0, 30))
    assert run(scan_booking_starts).created == 1
    assert stages(driver.user) == ["24h", "2h"]
    assert (
        "Votre réservation de Clio"
        in Notification.objects.filter(recipient=driver.user).latest("pk").subject
    )


def test_a_late_first_run_sends_only_the_most_urgent_reminder(clio, driver, at):
    book(clio, driver, paris(2026, 12, 1, 9, 0))
    at(paris(2026, 12, 1, 7, 30))
    run(scan_booking_starts)
    assert stages(driver.user) == ["2h"]


def test_a_booking_made_at_the_last_minute_gets_no_pointless_reminder(clio, driver, at):
    start = paris(2026, 12, 1, 9, 0)
    book(clio, driver, start, made_at=start - dt.timedelta(hours=5))
    at(start - dt.timedelta(hours=4))
    assert run(scan_booking_starts).created == 0  # booked after the day-before moment
    at(start - dt.timedelta(hours=2))
    assert run(scan_booking_starts).created == 1
    other = book(clio, driver, start + dt.timedelta(days=1), made_at=start + dt.timedelta(hours=23))
    at(other.start - dt.timedelta(minutes=30))
    assert run(scan_booking_starts).created == 0


def test_the_owner_is_told_when_keys_are_handed_over_in_person(owner, driver, association, at):
    car = shared_vehicle(owner, driver, name="Kangoo", key_mode=Vehicle.KeyMode.HAND_TO_HAND)
    book(car, driver, paris(2026, 12, 1, 9, 0))
    at(paris(2026, 11, 30, 9, 0))
    assert run(scan_booking_starts).created == 2
    to_owner = Notification.objects.get(recipient=owner.user)
    assert to_owner.subject.startswith("Bruno")
    to_driver = Notification.objects.get(recipient=driver.user)
    assert "06 11 22 33 44" in to_driver.body  # the owner's phone
    assert keys_of(owner.user) == keys_of(driver.user)


def test_no_owner_notice_when_the_owner_drives_or_keys_stay_in_the_car(owner, driver, clio, at):
    kangoo = shared_vehicle(owner, driver, name="Kangoo", key_mode=Vehicle.KeyMode.HAND_TO_HAND)
    book(kangoo, owner, paris(2026, 12, 1, 9, 0))
    book(clio, driver, paris(2026, 12, 1, 9, 0))
    at(paris(2026, 11, 30, 9, 0))
    run(scan_booking_starts)
    assert len(keys_of(owner.user)) == 1  # their own booking only
    assert "remettre" not in Notification.objects.get(recipient=owner.user).body


def test_a_moved_booking_is_reminded_again_a_cancelled_one_not(clio, driver, at):
    booking = book(clio, driver, paris(2026, 12, 1, 9, 0))
    at(paris(2026, 11, 30, 9, 0))
    run(scan_booking_starts)
    Booking.objects.filter(pk=booking.pk).update(
        start=paris(2026, 12, 1, 14, 0),
        end=paris(2026, 12, 1, 17, 0),
        blocks_until=paris(2026, 12, 1, 17, 0),
    )
    at(paris(2026, 11, 30, 14, 0))
    assert run(scan_booking_starts).created == 1
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED)
    at(paris(2026, 12, 1, 12, 0))
    assert run(scan_booking_starts).created == 0


# --- Approvals -----------------------------------------------------------------------------


def test_the_owner_is_asked_at_once_and_the_admins_after_a_day(clio, owner, driver, admin, at):
    made = paris(2026, 12, 1, 9, 0)
    book(clio, driver, made + dt.timedelta(days=3), made_at=made, status="requested")
    at(made + dt.timedelta(minutes=5))
    assert run(scan_approvals).created == 1
    subject = Notification.objects.get(recipient=owner.user).subject
    assert subject.startswith("Bruno ") and "demande à réserver Clio" in subject
    at(made + dt.timedelta(hours=23, minutes=59))
    assert run(scan_approvals).created == 0
    at(made + dt.timedelta(hours=24))
    assert run(scan_approvals).created == 1
    assert keys_of(admin.user)[0].endswith(":admins")


def test_a_request_close_to_its_start_reaches_the_admins_12_hours_before(clio, driver, admin, at):
    made = paris(2026, 3, 28, 18, 0)
    start = paris(2026, 3, 29, 18, 0)  # 23 real hours later: a DST night in between
    book(clio, driver, start, made_at=made, status="requested")
    at(start - dt.timedelta(hours=12, seconds=1))
    run(scan_approvals)
    assert keys_of(admin.user) == []
    at(start - dt.timedelta(hours=12))
    run(scan_approvals)
    assert len(keys_of(admin.user)) == 1


def test_the_owner_keeps_an_hour_to_answer_a_last_minute_request(clio, driver, admin, at):
    made = paris(2026, 12, 1, 9, 0)
    book(clio, driver, made + dt.timedelta(hours=5), made_at=made, status="requested")
    at(made + dt.timedelta(minutes=59))
    run(scan_approvals)
    assert keys_of(admin.user) == []
    at(made + dt.timedelta(hours=1))
    run(scan_approvals)
    assert len(keys_of(admin.user)) == 1


def test_the_admins_approve_the_association_cars_at_once(association, admin, driver, at):
    car = VehicleFactory(association=association, owner_kind=Vehicle.OwnerKind.ASSOCIATION)
    made = paris(2026, 12, 1, 9, 0)
    book(car, driver, made + dt.timedelta(days=3), made_at=made, status="requested")
    at(made + dt.timedelta(days=2))
    assert run(scan_approvals).created == 1  # asked as approvers; not told twice
    assert keys_of(admin.user)[0].endswith(":approvers")


def test_an_answered_request_is_left_alone(clio, owner, driver, at):
    made = paris(2026, 12, 1, 9, 0)
    book(clio, driver, made + dt.timedelta(days=3), made_at=made)
    at(made + dt.timedelta(hours=1))
    assert run(scan_approvals).checked == 0


# --- Returns -----------------------------------------------------------------------------------


def out(vehicle, driver, start, hours=3):
    booking = book(vehicle, driver, start, hours=hours, status=Booking.Status.IN_PROGRESS)
    TripFactory(booking=booking, odometer_in=None, fuel_level_in=None, checked_in_at=None)
    return booking


def test_due_at_the_end_overdue_one_real_hour_later_on_the_autumn_night(clio, driver, admin, at):
    # Ends at 02:30 summer time on 25 October; an hour later the clocks say 02:30 again.
    out(clio, driver, paris(2026, 10, 24, 23, 30))
    at(paris(2026, 10, 25, 2, 29, fold=0))
    assert run(scan_returns).created == 0
    at(paris(2026, 10, 25, 2, 30, fold=0))
    assert run(scan_returns).created == 1
    assert Notification.objects.get().kind == "return_due"
    at(paris(2026, 10, 25, 2, 29, fold=1))
    assert run(scan_returns).created == 0
    at(paris(2026, 10, 25, 2, 30, fold=1))
    assert run(scan_returns).created == 2  # the driver and the admin
    overdue = Notification.objects.filter(kind="return_overdue")
    assert {n.recipient for n in overdue} == {driver.user, admin.user}
    assert run(scan_returns).created == 0


def test_the_next_driver_hears_of_a_late_return_when_the_car_is_booked_soon(
    clio, driver, association, at
):
    next_driver = MembershipFactory(association=association)
    later = MembershipFactory(association=association)
    out(clio, driver, paris(2026, 12, 1, 9, 0))
    book(clio, next_driver, paris(2026, 12, 1, 14, 0))
    book(clio, later, paris(2026, 12, 5, 14, 0))
    at(paris(2026, 12, 1, 13, 0))
    run(scan_returns)
    notice = Notification.objects.get(recipient=next_driver.user)
    assert "pas encore revenue" in notice.subject
    assert keys_of(later.user) == []


def test_a_checked_in_trip_is_left_alone(clio, driver, at):
    booking = book(clio, driver, paris(2026, 12, 1, 9, 0), status=Booking.Status.COMPLETED)
    TripFactory(booking=booking)
    at(paris(2026, 12, 1, 14, 0))
    assert run(scan_returns).checked == 0


def test_a_trip_never_recorded_asks_the_driver_then_the_admins(clio, driver, admin, at):
    booking = book(clio, driver, paris(2026, 12, 1, 9, 0))
    at(booking.end + dt.timedelta(minutes=59))
    assert run(scan_returns).created == 0
    at(booking.end + dt.timedelta(hours=1))
    assert run(scan_returns).created == 1
    assert Notification.objects.get().recipient == driver.user
    at(booking.end + dt.timedelta(hours=24))
    assert run(scan_returns).created == 1
    assert "n’est pas enregistré" in Notification.objects.get(recipient=admin.user).subject


def test_a_trip_not_recorded_is_asked_for_one_real_hour_after_the_end_on_the_spring_night(
    clio, driver, at
):
    # Ends at 01:30 on 29 March; an hour later the clocks, which jump from 02:00 to 03:00,
    # say 03:30.
    book(clio, driver, paris(2026, 3, 28, 22, 30))
    at(paris(2026, 3, 29, 3, 29, 59))
    assert run(scan_returns).created == 0
    at(paris(2026, 3, 29, 3, 30))
    assert run(scan_returns).created == 1
    assert Notification.objects.get().kind == "trip_not_checked_in"
    assert run(scan_returns).created == 0


def test_old_returns_are_history(clio, driver, at):
    out(clio, driver, paris(2026, 12, 1, 9, 0))
    at(paris(2026, 12, 9, 9, 0))
    assert run(scan_returns).checked == 0


# --- Nightly: eligibility ------------------------------------------------------------------------


def test_a_licence_that_expires_before_a_booking_is_flagged_with_its_reason(
    clio, driver, admin, at
):
    DriverProfile.objects.filter(user=driver.user).update(licence_expires_on=dt.date(2026, 12, 1))
    booking = book(clio, driver, paris(2026, 12, 3, 9, 0))
    at(paris(2026, 11, 20, 4, 30))
    assert run(scan_ineligible_bookings).created == 1
    notice = Notification.objects.get(recipient=admin.user)
    assert "le permis de conduire n’est pas valable pour ces dates" in notice.body
    assert keys_of(admin.user) == [f"booking_ineligible:booking:{booking.pk}:licence_invalid"]
    assert run(scan_ineligible_bookings).created == 0
    Membership.objects.filter(pk=driver.pk).update(status=Membership.Status.SUSPENDED)
    assert run(scan_ineligible_bookings).created == 1  # a new reason: flagged again


def test_a_young_driver_rule_that_now_forbids_the_driver_is_flagged(clio, driver, admin, at):
    DriverProfile.objects.filter(user=driver.user).update(
        birth_date=dt.date(2006, 1, 1), licence_issued_on=dt.date(2025, 6, 1)
    )
    book(clio, driver, paris(2026, 12, 3, 9, 0))
    InsurancePolicy.objects.filter(vehicle=clio).update(
        young_driver_rule=InsurancePolicy.YoungDriverRule.FORBIDDEN
    )
    at(paris(2026, 11, 20, 4, 30))
    run(scan_ineligible_bookings)
    assert "ne couvre pas ce jeune conducteur" in Notification.objects.get().body


def test_only_future_bookings_are_checked(clio, driver, admin, at):
    book(clio, driver, paris(2026, 12, 3, 9, 0))
    book(clio, driver, paris(2026, 11, 3, 9, 0), status=Booking.Status.COMPLETED)
    InsurancePolicy.objects.filter(vehicle=clio).update(valid_until=dt.date(2026, 11, 30))
    at(paris(2026, 11, 10, 4, 30))
    counts = run(scan_ineligible_bookings)
    assert (counts.checked, counts.created) == (1, 1)  # December is not insured, November was
    assert "l’assurance du véhicule n’est pas valable" in Notification.objects.get().body


def test_a_booking_in_the_repeated_hour_is_checked_until_its_real_start(clio, driver, admin, at):
    DriverProfile.objects.filter(user=driver.user).update(licence_expires_on=dt.date(2026, 10, 20))
    # Starts at the second 02:30 of 25 October (winter time), an hour after the first one.
    book(clio, driver, paris(2026, 10, 25, 2, 30, fold=1))
    at(paris(2026, 10, 25, 2, 30, fold=1))
    assert run(scan_ineligible_bookings).checked == 0  # it has started
    at(paris(2026, 10, 25, 2, 30, fold=0))
    counts = run(scan_ineligible_bookings)
    assert (counts.checked, counts.created) == (1, 1)
    assert run(scan_ineligible_bookings).created == 0


def test_the_batch_check_gives_the_same_reasons_as_one_booking_at_a_time(
    clio, driver, owner, association, at
):
    at(paris(2026, 11, 20, 4, 30))
    stranger = MembershipFactory(association=association)  # no agreement
    young = MembershipFactory(association=association)
    DriverProfileFactory(user=young.user, licence_issued_on=dt.date(2026, 1, 1))
    restricted = shared_vehicle(owner, driver, young, name="Zoé", drivers_restricted=True)
    restricted.allowed_drivers.add(driver)
    uninsured = shared_vehicle(owner, driver, name="Twingo")
    InsurancePolicy.objects.filter(vehicle=uninsured).update(valid_until=dt.date(2026, 11, 30))
    start = paris(2026, 12, 3, 9, 0)
    bookings = [
        book(clio, driver, start),
        book(clio, stranger, start + dt.timedelta(days=1)),
        book(restricted, young, start),
        book(restricted, owner, start + dt.timedelta(days=1)),
        book(uninsured, driver, start),
    ]
    loaded = list(
        Booking.objects.filter(pk__in=[b.pk for b in bookings]).select_related(
            "vehicle__association", "driver__user"
        )
    )
    batch = eligibility_of_bookings(loaded)
    for booking in loaded:
        assert batch[booking.pk].codes == eligibility_of_booking(booking).codes, booking
    assert {code for e in batch.values() for code in e.codes} >= {
        "no_agreement",
        "not_allowed_driver",
        "insurance_invalid",
    }


# --- Nightly: agreements ------------------------------------------------------------------------


def test_a_booking_by_a_driver_without_agreement_is_flagged(clio, owner, admin, association, at):
    stranger = MembershipFactory(association=association, user=UserFactory(first_name="Léa"))
    booking = book(clio, stranger, paris(2026, 12, 3, 9, 0))
    book(clio, owner, paris(2026, 12, 4, 9, 0))  # the owner needs none
    at(paris(2026, 11, 20, 4, 45))
    counts = run(scan_bookings_without_agreement)
    assert (counts.checked, counts.created) == (2, 1)
    assert keys_of(admin.user) == [f"booking_without_agreement:booking:{booking.pk}:none"]
    assert "Léa" in Notification.objects.get().subject


def test_an_agreement_to_re_sign_flags_the_booking_again(clio, driver, admin, at):
    booking = book(clio, driver, paris(2026, 12, 3, 9, 0))
    at(paris(2026, 11, 20, 4, 45))
    assert run(scan_bookings_without_agreement).created == 0
    InsurancePolicy.objects.filter(vehicle=clio).update(deductible=Decimal("900.00"))
    assert run(scan_bookings_without_agreement).created == 1
    assert keys_of(admin.user) == [f"booking_without_agreement:booking:{booking.pk}:outdated"]
    assert "re-signée" in Notification.objects.get().body


def test_a_booking_right_after_the_spring_gap_is_flagged_until_it_starts(
    clio, admin, association, at
):
    stranger = MembershipFactory(association=association)
    book(clio, stranger, paris(2026, 3, 29, 3, 0))  # the first minute after the gap
    at(paris(2026, 3, 29, 3, 0))
    assert run(scan_bookings_without_agreement).checked == 0
    at(paris(2026, 3, 29, 1, 59, 59))  # one real second before
    counts = run(scan_bookings_without_agreement)
    assert (counts.checked, counts.created) == (1, 1)
    assert run(scan_bookings_without_agreement).created == 0


def test_no_flag_where_the_association_requires_no_agreement(clio, association, admin, at):
    association.agreement_required = False
    association.save()
    book(clio, MembershipFactory(association=association), paris(2026, 12, 3, 9, 0))
    at(paris(2026, 11, 20, 4, 45))
    assert run(scan_bookings_without_agreement).checked == 0


# --- Scale ---------------------------------------------------------------------------------------


@pytest.fixture
def fleet(association, admin, owner):
    drivers = MembershipFactory.create_batch(3, association=association)
    return [shared_vehicle(owner, *drivers) for _ in range(3)], drivers


def test_the_nightly_eligibility_check_costs_queries_per_batch_not_per_row(fleet, monkeypatch, at):
    vehicles, drivers = fleet
    at(paris(2026, 11, 20, 4, 30))
    Agreement.objects.all().delete()  # every booking is now without agreement: flagged
    InsurancePolicy.objects.update(valid_until=dt.date(2026, 11, 30))

    def future_booking(index):
        book(
            vehicles[index % 3],
            drivers[index % 3],
            paris(2026, 12, 1, 9, 0) + dt.timedelta(hours=4 * index),
        )

    assert_flat_per_batch(scan_ineligible_bookings, future_booking, monkeypatch)
    assert_flat_per_batch(scan_bookings_without_agreement, future_booking, monkeypatch)


def test_the_reminder_scans_cost_queries_per_batch_not_per_row(fleet, monkeypatch, at):
    vehicles, drivers = fleet
    at(paris(2026, 12, 1, 8, 0))
    start = paris(2026, 12, 1, 9, 0)

    def soon(index):
        book(
            vehicles[index % 3], drivers[index % 3], start + dt.timedelta(minutes=index), hours=0.01
        )

    assert_flat_per_batch(scan_booking_starts, soon, monkeypatch)

    def requested(index):
        book(
            vehicles[index % 3],
            drivers[index % 3],
            start + dt.timedelta(days=5, hours=index),
            hours=0.5,
            status="requested",
            made_at=start - dt.timedelta(days=2),
        )

    assert_flat_per_batch(scan_approvals, requested, monkeypatch)

    def late(index):
        booking = book(
            vehicles[index % 3],
            drivers[index % 3],
            start - dt.timedelta(days=2, minutes=index),
            hours=0.01,
            status=Booking.Status.IN_PROGRESS,
        )
        TripFactory(booking=booking, odometer_in=None, fuel_level_in=None, checked_in_at=None)

    assert_flat_per_batch(scan_returns, late, monkeypatch)
