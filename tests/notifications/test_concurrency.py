"""Two workers running the same scan at the same moment create each notification once and
send it once. Real threads, each with its own database connection; on PostgreSQL (the CI
run with DATABASE_URL) they really write at the same time. A control run without the
unique key proves the race is real: the workers then create duplicates."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter
from collections.abc import Iterator

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from members.scans import scan_licence_expiry
from notifications import delivery, outbox
from notifications.models import Notification
from tests.factories.members import DriverProfileFactory, MembershipFactory
from tests.notifications.helpers import in_two_workers, meet_before, paris

pytestmark = pytest.mark.django_db(transaction=True)

DRIVERS = 12


@pytest.fixture
def drivers(association, time_machine):
    time_machine.move_to(paris(2026, 4, 21, 7, 0), tick=True)
    memberships = MembershipFactory.create_batch(DRIVERS, association=association)
    for membership in memberships:
        DriverProfileFactory(user=membership.user, licence_expires_on=dt.date(2026, 4, 28))
    return memberships


@pytest.fixture
def no_broker(monkeypatch):
    """Nothing is queued: the rows wait for the workers under test."""
    monkeypatch.setattr(outbox, "enqueue_on_commit", lambda *args, **kwargs: None)


def scan_and_send():
    counts = scan_licence_expiry(now=timezone.now())
    return counts.created, delivery.deliver_due_notifications().sent


def test_two_workers_running_the_same_scan_create_and_send_each_notification_once(
    drivers, no_broker, monkeypatch
):
    # Both read "nothing exists yet", then both insert.
    meet_before(outbox, "_build", monkeypatch)
    results = in_two_workers(scan_and_send)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(created for created, _sent in results) == DRIVERS
    assert sum(sent for _created, sent in results) == DRIVERS
    assert Notification.objects.count() == DRIVERS
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    recipients = Counter(message.to[0] for message in mail.outbox)
    assert sorted(recipients) == sorted(d.user.email for d in drivers)
    assert set(recipients.values()) == {1}


def test_two_workers_sending_the_same_notification_send_it_once(drivers, no_broker, monkeypatch):
    scan_licence_expiry(now=timezone.now())
    meet_before(delivery, "claim_notification", monkeypatch)
    notification_id = Notification.objects.order_by("pk").values_list("pk", flat=True)[0]
    outcomes = in_two_workers(lambda: delivery.deliver_notification(notification_id))
    assert sorted(outcomes) == ["sent", "skipped"]
    assert len(mail.outbox) == 1


@contextlib.contextmanager
def without_unique_key() -> Iterator[None]:
    """The table without its unique key (SQLite rebuilds the table from the model's
    constraints, so the model forgets it too while the control runs)."""
    meta = Notification._meta
    constraint = next(c for c in meta.constraints if c.name == "notification_unique_key")
    kept = [c for c in meta.constraints if c is not constraint]
    original = meta.constraints
    meta.constraints = kept
    with connection.schema_editor() as editor:
        editor.remove_constraint(Notification, constraint)
    try:
        yield
    finally:
        Notification.objects.all().delete()
        meta.constraints = original
        with connection.schema_editor() as editor:
            editor.add_constraint(Notification, constraint)


def test_control_without_the_unique_key_the_same_race_creates_duplicates(
    drivers, no_broker, monkeypatch
):
    meet_before(outbox, "_build", monkeypatch)
    with without_unique_key():
        results = in_two_workers(lambda: scan_licence_expiry(now=timezone.now()).created)
        assert sum(results) == 2 * DRIVERS
        assert Notification.objects.count() == 2 * DRIVERS


def test_control_without_the_conditional_claim_the_same_race_sends_twice(
    drivers, no_broker, monkeypatch
):
    scan_licence_expiry(now=timezone.now())
    monkeypatch.setattr(delivery, "claimable", lambda now: ~delivery.Q(pk=None))
    meet_before(delivery, "claim_notification", monkeypatch)
    notification_id = Notification.objects.order_by("pk").values_list("pk", flat=True)[0]
    outcomes = in_two_workers(lambda: delivery.deliver_notification(notification_id))
    assert outcomes == ["sent", "sent"]
    assert len(mail.outbox) == 2
