"""Every scheduled job, each in a world where it has work due: run twice, it creates and
sends each notification once; on PostgreSQL, two workers running it at the same moment
(real threads, each with its own database connection) create and send each one once."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core import mail

from bookings.models import Booking
from ledger.models import LedgerTransaction, Period, RecurringExpense, RecurringOccurrence
from ledger.services import fund_account, member_account, record_payment
from members.models import Membership
from notifications import delivery, outbox
from notifications.models import Notification, ScanRun
from notifications.registry import get_job, registered_jobs
from notifications.runs import run_job
from tests.bookings.helpers import shared_vehicle
from tests.conftest import require_postgresql
from tests.factories.bookings import BookingFactory, TripFactory
from tests.factories.ledger import platform
from tests.factories.members import DriverProfileFactory, MembershipFactory
from tests.notifications.helpers import in_two_workers, meet_before, paris
from vehicles.models import InsurancePolicy, Vehicle

SCAN_NAMES = [job.name for job in registered_jobs()]

# A Friday morning in Paris; each builder below makes something due at this moment.
NOW = paris(2026, 11, 20, 9, 0)
TODAY = NOW.date()


def _person(association, **profile):
    membership = MembershipFactory(association=association)
    DriverProfileFactory(user=membership.user, **profile)
    return membership


def _booking(vehicle, driver, start, hours=3, made_days_before=3, **fields):
    booking = BookingFactory(
        vehicle=vehicle, driver=driver, start=start, end=start + dt.timedelta(hours=hours), **fields
    )
    made = start - dt.timedelta(days=made_days_before)
    Booking.objects.filter(pk=booking.pk).update(created_at=made)
    return booking


def licence_expiring(association, admin):
    _person(association, licence_expires_on=TODAY + dt.timedelta(days=7))


def insurance_expiring(association, admin):
    vehicle = shared_vehicle(_person(association))
    InsurancePolicy.objects.filter(vehicle=vehicle).update(
        valid_until=TODAY + dt.timedelta(days=30)
    )


def probation_ending(association, admin):
    # A licence of three years to the day, without accompanied driving: probation ends today.
    _person(association, birth_date=dt.date(2004, 5, 1), licence_issued_on=dt.date(2023, 11, 20))


def fee_to_renew(association, admin):
    association.membership_fee = Decimal("20.00")
    association.save(update_fields=["membership_fee"])
    Membership.objects.filter(pk=_person(association).pk).update(
        fee_paid_until=TODAY + dt.timedelta(days=30)
    )


def deductible_changed(association, admin):
    vehicle = shared_vehicle(_person(association), _person(association))
    InsurancePolicy.objects.filter(vehicle=vehicle).update(deductible=Decimal("900.00"))


def period_closed(association, admin):
    record_payment(
        payer=member_account(_person(association)),
        payee=member_account(admin),
        amount=Decimal("12.50"),
        method="cash",
        paid_on=dt.date(2026, 10, 12),
        note="",
        actor=platform(member_account(_person(association))),
    )
    # The row close_period leaves (its signal would run the job at once, before the test).
    Period.objects.create(
        association=association,
        key="2026-10",
        starts_on=dt.date(2026, 10, 1),
        ends_on=dt.date(2026, 10, 31),
        closed_at=NOW - dt.timedelta(hours=1),
    )


def period_over(association, admin):
    """October has a payment and ended 20 days ago: more than the 10 days of the default."""
    record_payment(
        payer=member_account(_person(association)),
        payee=member_account(admin),
        amount=Decimal("12.50"),
        method="cash",
        paid_on=dt.date(2026, 10, 12),
        note="",
        actor=admin,
    )


def recurring_due(association, admin):
    """A group insurance instalment due on the 1st of each month, from November."""
    RecurringExpense.objects.create(
        association=association,
        category=LedgerTransaction.Category.INSURANCE,
        description="Assurance de groupe",
        amount=Decimal("30.00"),
        paid_by=fund_account(association),
        frequency=RecurringExpense.Frequency.MONTHLY,
        starts_on=dt.date(2026, 11, 1),
    )


def booking_starting(association, admin):
    owner, driver = _person(association), _person(association)
    vehicle = shared_vehicle(owner, driver, key_mode=Vehicle.KeyMode.HAND_TO_HAND)
    _booking(vehicle, driver, NOW + dt.timedelta(hours=2))


def booking_requested(association, admin):
    owner, driver = _person(association), _person(association)
    vehicle = shared_vehicle(owner, driver)
    # Asked two days ago, still unanswered: the owner, then the admins.
    _booking(vehicle, driver, NOW + dt.timedelta(days=2), made_days_before=4, status="requested")


def returns_late(association, admin):
    owner, driver, forgetful = _person(association), _person(association), _person(association)
    vehicle = shared_vehicle(owner, driver, forgetful)
    out = _booking(vehicle, driver, NOW - dt.timedelta(hours=5), status="in_progress")
    TripFactory(booking=out, odometer_in=None, fuel_level_in=None, checked_in_at=None)
    # Confirmed, ended, never checked out: the trip is to be recorded.
    _booking(vehicle, forgetful, NOW - dt.timedelta(days=1, hours=6))
    _booking(vehicle, owner, NOW + dt.timedelta(hours=3))  # the next driver


def driver_no_longer_eligible(association, admin):
    owner = _person(association)
    driver = _person(association, licence_expires_on=TODAY + dt.timedelta(days=10))
    vehicle = shared_vehicle(owner, driver)
    _booking(vehicle, driver, NOW + dt.timedelta(days=12))


def booking_without_agreement(association, admin):
    vehicle = shared_vehicle(_person(association))
    _booking(vehicle, _person(association), NOW + dt.timedelta(days=5))


def announcement_written(association, admin):
    from bookings.models import Announcement

    _person(association), _person(association)
    Announcement.objects.create(
        association=association,
        author=admin.user,
        subject="Assemblée générale",
        body="Le 12 décembre à 18 h, salle des fêtes.",
        audience="all",
        created_at=NOW - dt.timedelta(minutes=2),
    )


def owner_with_a_car(association, admin):
    owner = _person(association)
    vehicle = shared_vehicle(owner)
    Vehicle.objects.filter(pk=vehicle.pk).update(created_at=NOW - dt.timedelta(days=60))


def notification_pending(association, admin):
    Notification.objects.create(
        recipient=admin.user,
        association=association,
        kind="return_due",
        key="return_due:booking:0:2026-11-20T07:00Z",
        subject="Retour prévu",
        body="Bonjour",
    )


def membership_ended_long_ago(association, admin):
    # The purge sends nothing itself; the pending notification is what its run delivers.
    former = _person(association)
    Membership.objects.filter(pk=former.pk).update(
        status=Membership.Status.LEFT, left_on=TODAY - dt.timedelta(days=400)
    )
    notification_pending(association, admin)


DUE: dict[str, Callable[..., None]] = {
    "deliver_notifications": notification_pending,
    "licence_expiry": licence_expiring,
    "vehicle_documents": insurance_expiring,
    "probation_ends": probation_ending,
    "fee_renewals": fee_to_renew,
    "outdated_agreements": deductible_changed,
    "recurring_expenses": recurring_due,
    "period_close": period_over,
    "statements": period_closed,
    "booking_reminders": booking_starting,
    "approvals": booking_requested,
    "returns": returns_late,
    "ineligible_bookings": driver_no_longer_eligible,
    "bookings_without_agreement": booking_without_agreement,
    "announcements": announcement_written,
    "personal_data": membership_ended_long_ago,
    "owner_summaries": owner_with_a_car,
}
# What each job must create at NOW in its world, kind by kind (the sweep only sends).
EXPECTED: dict[str, dict[str, int]] = {
    "deliver_notifications": {},
    "licence_expiry": {"licence_expiring": 1},
    "vehicle_documents": {"document_expiring": 2},  # the owner and the admin
    "probation_ends": {"probation_ended": 1},
    "fee_renewals": {"fee_renewal": 1},
    "outdated_agreements": {"agreements_to_resign": 1},  # the admin
    "recurring_expenses": {},  # it posts; it tells nobody
    "period_close": {"statement_ready": 2},  # the close queues them: the payer and the payee
    "statements": {"statement_ready": 2},  # the payer and the payee
    "booking_reminders": {"booking_starts_soon": 2},  # the driver and the owner
    "approvals": {"approval_pending": 2},  # the owner, then the admin
    # the driver, the admin and the next driver; the forgetful driver and the admin
    "returns": {"return_overdue": 3, "trip_not_checked_in": 2},
    "ineligible_bookings": {"booking_ineligible": 1},
    "bookings_without_agreement": {"booking_without_agreement": 1},
    "announcements": {"announcement": 3},  # the admin and the two members: all of them
    "personal_data": {},
    "owner_summaries": {"owner_monthly_summary": 1},  # October's, for the owner
}

# Jobs that notify nobody: what they must do once, however often they run.
SILENT: dict[str, Callable[[], int]] = {
    "recurring_expenses": lambda: RecurringOccurrence.objects.count(),
}


def assert_silent_work_done_once(name: str) -> None:
    if name in SILENT:
        assert SILENT[name]() == 1


def test_every_registered_job_has_a_world_here():
    assert sorted(DUE) == sorted(SCAN_NAMES) == sorted(EXPECTED)


def kinds_created(before: set[int]) -> dict[str, int]:
    new = Notification.objects.exclude(pk__in=before).values_list("kind", flat=True)
    return dict(Counter(new))


def delivered_once() -> None:
    """Every notification is sent, and each e-mail went out exactly once."""
    notifications = list(Notification.objects.select_related("recipient"))
    assert {n.status for n in notifications} <= {Notification.Status.SENT}
    received = Counter((message.to[0], message.subject) for message in mail.outbox)
    expected = Counter((n.address, n.subject) for n in notifications if n.by_email)
    assert received == expected


@pytest.mark.django_db
@pytest.mark.parametrize("name", SCAN_NAMES)
def test_each_job_run_twice_creates_and_sends_each_notification_once(
    name, association, admin, time_machine
):
    time_machine.move_to(NOW, tick=False)
    DUE[name](association, admin)
    before = set(Notification.objects.values_list("pk", flat=True))
    job = get_job(name)
    assert job is not None

    first = run_job(job)
    assert first.outcome == ScanRun.Outcome.SUCCEEDED, first.error
    assert kinds_created(before) == EXPECTED[name]
    assert first.created == sum(EXPECTED[name].values())
    assert first.sent == Notification.objects.count() >= (0 if name in SILENT else 1)
    keys = sorted(Notification.objects.values_list("recipient_id", "key"))

    second = run_job(job)
    assert (second.outcome, second.created, second.sent) == (ScanRun.Outcome.SUCCEEDED, 0, 0)
    assert sorted(Notification.objects.values_list("recipient_id", "key")) == keys
    delivered_once()
    assert_silent_work_done_once(name)


# --- Two workers at once, on PostgreSQL ---------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", SCAN_NAMES)
def test_two_workers_running_the_same_job_at_once_create_and_send_each_notification_once(
    name, association, admin, time_machine, monkeypatch
):
    require_postgresql("two workers writing the outbox at the same time")
    time_machine.move_to(NOW, tick=True)
    DUE[name](association, admin)
    before = set(Notification.objects.values_list("pk", flat=True))
    job = get_job(name)
    assert job is not None
    # Nothing is queued: each worker's run ends by sending what is pending, so both race
    # for the same rows. (An eager task in two threads would also leave Celery's global
    # "join will block" flag set behind it.)
    monkeypatch.setattr(outbox, "enqueue_on_commit", lambda *args, **kwargs: None)
    # Both read "nothing exists yet", then both insert; both claim the same rows to send.
    meet_before(outbox, "_build", monkeypatch)
    meet_before(delivery, "claim_notification", monkeypatch)

    runs = in_two_workers(lambda: run_job(job))

    assert all(isinstance(run, ScanRun) for run in runs), runs
    assert [run.outcome for run in runs] == [ScanRun.Outcome.SUCCEEDED] * 2, runs
    assert kinds_created(before) == EXPECTED[name]
    assert sum(run.created for run in runs) == sum(EXPECTED[name].values())
    per_key = Counter(Notification.objects.values_list("recipient_id", "key"))
    assert set(per_key.values()) <= {1}
    delivered_once()
    assert len(mail.outbox) == Notification.objects.count() >= (0 if name in SILENT else 1)
    assert_silent_work_done_once(name)
