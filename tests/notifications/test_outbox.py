"""Creating notifications: once per recipient and key, in the recipient's language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.notifications import BOOKING_STARTS_SOON
from core.notices import Kind, Message
from members.notifications import FEE_RENEWAL, LICENCE_EXPIRING
from notifications.models import Notification, NotificationPreference
from notifications.outbox import queue_notifications, render_message
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db

KIND = LICENCE_EXPIRING
CONTEXT = {"driver": "Léa", "expires_on": dt.date(2026, 4, 6), "days_left": 7}


def message(user, association=None, key="driverprofile:1:2026-04-06:7d", kind=KIND):
    return Message(user, kind, key, association, CONTEXT, "/me/driver-profile/")


def test_a_message_creates_one_pending_notification_with_its_text(association):
    user = UserFactory(language="en")
    result = queue_notifications([message(user, association)])
    notification = Notification.objects.get()
    assert result.created == 1
    assert result.pending_ids == [notification.pk]
    assert result.by_association == {association.pk: 1}
    assert notification.status == Notification.Status.PENDING
    assert notification.key == "licence_expiring:driverprofile:1:2026-04-06:7d"
    assert notification.subject == "Your driving licence expires in 7 days"
    assert "valid until April 6, 2026" in notification.body
    assert "http://127.0.0.1:8000/me/driver-profile/" in notification.body


def test_the_text_is_in_the_recipients_language():
    french, english = UserFactory(language="fr"), UserFactory(language="en")
    queue_notifications([message(french), message(english)])
    subjects = dict(Notification.objects.values_list("recipient_id", "subject"))
    assert subjects[french.pk] == "Votre permis de conduire expire dans 7 jours"
    assert subjects[english.pk] == "Your driving licence expires in 7 days"


def test_a_second_batch_with_the_same_key_creates_nothing():
    user = UserFactory()
    assert queue_notifications([message(user)]).created == 1
    again = queue_notifications([message(user), message(user)])
    assert again.created == 0
    assert again.pending_ids == []
    assert Notification.objects.count() == 1


def test_a_key_is_unique_per_recipient_not_globally():
    first, second = UserFactory(), UserFactory()
    assert queue_notifications([message(first), message(second)]).created == 2


def test_a_row_inserted_meanwhile_is_ignored_not_an_error():
    user = UserFactory()
    Notification.objects.create(
        recipient=user, kind=KIND.code, key=message(user).full_key, subject="s", body="b"
    )
    assert queue_notifications([message(user)]).created == 0


def test_a_kind_that_no_app_registered_is_refused():
    unknown = Kind("bookings", "no_such_kind", "no such kind")
    with pytest.raises(LookupError, match="no_such_kind"):
        queue_notifications([message(UserFactory(), kind=unknown)])
    assert not Notification.objects.exists()


def test_an_inactive_person_gets_nothing():
    user = UserFactory(is_active=False)
    assert queue_notifications([message(user)]).created == 0


def test_in_the_app_only_is_delivered_at_creation():
    user = UserFactory()
    kind = FEE_RENEWAL
    NotificationPreference.objects.create(user=user, kind=kind.code, by_email=False, in_app=True)
    context = {"paid_until": dt.date(2026, 12, 31), "days_left": 30, "fee": "20,00 €"}
    queue_notifications([Message(user, kind, "membership:1:2026-12-31:30d", None, context)])
    notification = Notification.objects.get()
    assert (notification.by_email, notification.in_app) == (False, True)
    assert notification.status == Notification.Status.SENT
    assert notification.sent_at is not None


def test_an_optional_kind_turned_off_is_not_created():
    user = UserFactory()
    kind = FEE_RENEWAL
    NotificationPreference.objects.create(user=user, kind=kind.code, by_email=False, in_app=False)
    result = queue_notifications([Message(user, kind, "membership:1:x:0d", None, {})])
    assert result.created == 0


def test_a_preference_stored_for_an_essential_kind_is_ignored():
    user = UserFactory()
    NotificationPreference.objects.create(user=user, kind=KIND.code, by_email=False, in_app=False)
    assert queue_notifications([message(user)]).created == 1


def test_times_are_written_in_the_associations_zone(association):
    user = UserFactory(language="fr")
    association.time_zone = "America/Montreal"
    association.save()
    start = dt.datetime(2026, 3, 29, 8, 0, tzinfo=dt.UTC)
    context = {
        "start": start,
        "end": start + dt.timedelta(hours=2),
        "vehicle": "Clio",
        "stage": "2h",
    }
    subject, body = render_message(
        Message(user, BOOKING_STARTS_SOON, "booking:1", association, context)
    )
    assert "04:00" in subject + body  # 08:00 UTC is 04:00 in Montreal (summer time)


def test_a_batch_costs_the_same_queries_whatever_its_size(association):
    # (up to the rows one INSERT may carry: SQLite splits a batch every ~60 rows)
    small = [message(UserFactory(), association) for _ in range(3)]
    large = [message(UserFactory(), association) for _ in range(40)]
    with CaptureQueriesContext(connection) as few:
        queue_notifications(small)
    with CaptureQueriesContext(connection) as many:
        queue_notifications(large)
    assert len(many) == len(few)
    assert Notification.objects.count() == 43
