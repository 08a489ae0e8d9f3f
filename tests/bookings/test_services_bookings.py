import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from bookings.models import Booking
from bookings.services.bookings import (
    LateReturn,
    approve_booking,
    cancel_booking,
    create_booking,
    refuse_booking,
    report_late_return,
)
from core.errors import ConflictError, DomainError, ForbiddenError
from members.models import AuditEntry
from notifications.models import Notification
from tests.bookings.helpers import shared_vehicle

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def vehicle(admin, member):
    return shared_vehicle(admin, member)


def at(day: int, hour: int, month: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=PARIS)


def book(member, vehicle, start, end, **kwargs):
    return create_booking(
        actor=member, driver=member, vehicle=vehicle, start=start, end=end, **kwargs
    )


def test_a_free_slot_is_confirmed_and_audited(member, vehicle):
    booking = book(member, vehicle, at(1, 9), at(1, 12), note="Marché")
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.blocks_until == booking.end
    assert booking.created_by == member.user
    assert AuditEntry.objects.filter(action="booking.create", target_id=str(booking.pk)).exists()


def test_overlapping_booking_is_refused_with_the_overlap_code(member, admin, vehicle):
    book(admin, vehicle, at(1, 9), at(1, 12))
    with pytest.raises(ConflictError) as error:
        book(member, vehicle, at(1, 11), at(1, 14))
    assert error.value.code == "overlap"
    assert Booking.objects.count() == 1


def test_back_to_back_bookings_do_not_overlap(member, admin, vehicle):
    book(admin, vehicle, at(1, 9), at(1, 12))
    assert book(member, vehicle, at(1, 12), at(1, 14)).pk


def test_the_vehicle_buffer_keeps_bookings_apart(member, admin, vehicle):
    vehicle.buffer_minutes = 30
    vehicle.save()
    first = book(admin, vehicle, at(1, 9), at(1, 12))
    assert first.blocks_until == at(1, 12) + dt.timedelta(minutes=30)
    with pytest.raises(ConflictError):
        book(member, vehicle, at(1, 12), at(1, 14))
    with pytest.raises(ConflictError):  # its own buffer would run into the next one
        book(member, vehicle, at(1, 8), at(1, 9))
    assert book(member, vehicle, at(1, 12, 12).replace(minute=30), at(1, 14)).pk


def test_cancelled_and_refused_bookings_free_the_slot(member, admin, vehicle):
    first = book(admin, vehicle, at(1, 9), at(1, 12))
    cancel_booking(actor=admin, booking=first)
    assert book(member, vehicle, at(1, 9), at(1, 12)).status == Booking.Status.CONFIRMED


def test_end_before_start_is_refused(member, vehicle):
    with pytest.raises(DomainError) as error:
        book(member, vehicle, at(1, 12), at(1, 9))
    assert error.value.code == "end_before_start"
    assert error.value.http_status == 400


def test_past_start_is_refused(member, vehicle):
    with pytest.raises(DomainError) as error:
        book(member, vehicle, at(25, 9, month=11), at(25, 12, month=11))
    assert error.value.code == "start_in_past"


def test_a_booking_for_a_member_is_for_admins_only(member, admin, vehicle):
    booking = create_booking(
        actor=admin, driver=member, vehicle=vehicle, start=at(1, 9), end=at(1, 10)
    )
    assert booking.driver == member and booking.created_by == admin.user
    with pytest.raises(ForbiddenError):
        create_booking(actor=member, driver=admin, vehicle=vehicle, start=at(2, 9), end=at(2, 10))


def test_approval_flow_requested_then_confirmed(member, admin, vehicle):
    vehicle.approval_required = True
    vehicle.save()
    booking = book(member, vehicle, at(1, 9), at(1, 12))
    assert booking.status == Booking.Status.REQUESTED
    with pytest.raises(ForbiddenError):
        approve_booking(actor=member, booking=booking)
    booking = approve_booking(actor=admin, booking=booking)  # admin is also the owner here
    assert booking.status == Booking.Status.CONFIRMED and booking.decided_by == admin.user
    with pytest.raises(ConflictError) as error:
        approve_booking(actor=admin, booking=booking)
    assert error.value.code == "invalid_status"


def test_owner_own_booking_needs_no_approval(admin, vehicle):
    vehicle.approval_required = True
    vehicle.save()
    assert book(admin, vehicle, at(1, 9), at(1, 12)).status == Booking.Status.CONFIRMED


def test_refusal_needs_a_reason(member, admin, vehicle):
    vehicle.approval_required = True
    vehicle.save()
    booking = book(member, vehicle, at(1, 9), at(1, 12))
    with pytest.raises(DomainError) as error:
        refuse_booking(actor=admin, booking=booking, reason="  ")
    assert error.value.code == "reason_required"
    booking = refuse_booking(actor=admin, booking=booking, reason="Révision ce jour-là")
    assert booking.status == Booking.Status.REFUSED
    assert booking.refusal_reason == "Révision ce jour-là"


def test_only_the_driver_or_a_manager_may_cancel(member, admin, vehicle, association):
    from tests.factories.members import MembershipFactory

    booking = book(member, vehicle, at(1, 9), at(1, 12))
    stranger = MembershipFactory(association=association)
    with pytest.raises(ForbiddenError):
        cancel_booking(actor=stranger, booking=booking)
    assert cancel_booking(actor=member, booking=booking).status == Booking.Status.CANCELLED


def test_late_return_extends_when_the_car_is_free(member, vehicle):
    booking = book(member, vehicle, at(1, 9), at(1, 12))
    with time_machine.travel(at(1, 11), tick=False):  # the last hour of the booking
        outcome, following = report_late_return(actor=member, booking=booking, new_end=at(1, 14))
    booking.refresh_from_db()
    assert outcome is LateReturn.EXTENDED and following is None
    assert booking.end == at(1, 14) and booking.blocks_until == at(1, 14)


def test_late_return_warns_the_next_driver_when_the_car_is_booked(
    member, admin, vehicle, mailoutbox, django_capture_on_commit_callbacks
):
    booking = book(member, vehicle, at(1, 9), at(1, 12))
    following = book(admin, vehicle, at(1, 13), at(1, 17))
    with (
        django_capture_on_commit_callbacks(execute=True),
        time_machine.travel(at(1, 11), tick=False),
    ):
        outcome, warned = report_late_return(actor=member, booking=booking, new_end=at(1, 14))
    assert [m.to for m in mailoutbox] == [[admin.user.email]]
    assert "14:00" in mailoutbox[0].body
    booking.refresh_from_db()
    following.refresh_from_db()
    assert outcome is LateReturn.NEXT_DRIVER_WARNED and warned == following
    assert booking.end == at(1, 12)
    assert following.previous_late_until == at(1, 14)
    assert AuditEntry.objects.filter(action="booking.late_return_warned").exists()
    notice = Notification.objects.get()
    assert (notice.recipient, notice.kind) == (admin.user, "late_return")
    assert notice.url == f"/{vehicle.association.slug}/bookings/{following.pk}/"
    assert notice.status == Notification.Status.SENT


def test_the_same_late_return_reported_twice_warns_the_next_driver_once(
    member, admin, vehicle, mailoutbox, django_capture_on_commit_callbacks
):
    booking = book(member, vehicle, at(1, 9), at(1, 12))
    book(admin, vehicle, at(1, 13), at(1, 17))
    with time_machine.travel(at(1, 11), tick=False):  # the last hour of the booking
        with django_capture_on_commit_callbacks(execute=True):
            report_late_return(actor=member, booking=booking, new_end=at(1, 14))
            report_late_return(actor=member, booking=booking, new_end=at(1, 14))
        call_command("run_scans", "deliver_notifications", stdout=io.StringIO())
        assert len(mailoutbox) == 1
        with django_capture_on_commit_callbacks(execute=True):
            report_late_return(actor=member, booking=booking, new_end=at(1, 15))
    assert len(mailoutbox) == 2  # a later time is news
    assert "15:00" in mailoutbox[1].body


def test_daylight_saving_bookings_keep_wall_clock_times_and_real_duration(member, vehicle):
    with time_machine.travel(dt.datetime(2026, 10, 1, tzinfo=PARIS), tick=False):
        autumn = book(
            member,
            vehicle,
            dt.datetime(2026, 10, 25, 1, tzinfo=PARIS),
            dt.datetime(2026, 10, 25, 4, tzinfo=PARIS),
        )
    spring = book(
        member,
        vehicle,
        dt.datetime(2027, 3, 28, 1, tzinfo=PARIS),
        dt.datetime(2027, 3, 28, 4, tzinfo=PARIS),
    )
    spring.refresh_from_db()
    autumn.refresh_from_db()
    assert spring.duration == dt.timedelta(hours=2)
    assert autumn.duration == dt.timedelta(hours=4)
    for booking in (spring, autumn):
        local = (booking.start.astimezone(PARIS), booking.end.astimezone(PARIS))
        assert (local[0].hour, local[1].hour) == (1, 4)
