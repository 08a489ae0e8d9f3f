"""Delivery: claimed by a conditional update, sent once, retried only for transient errors;
a worker killed while sending does not lose the message."""

from __future__ import annotations

import datetime as dt
import os
import signal
import smtplib
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from members.notifications import LICENCE_EXPIRING
from notifications import delivery
from notifications.delivery import (
    LEASE,
    MAX_ATTEMPTS,
    claim_notification,
    deliver_due_notifications,
    deliver_notification,
    fail_abandoned,
    is_transient,
)
from notifications.models import Notification
from tests.factories.members import UserFactory
from tests.notifications.smtp import SmtpServer

pytestmark = pytest.mark.django_db


def pending(**fields) -> Notification:
    recipient = fields.pop("recipient", None) or UserFactory()
    values = {
        "kind": LICENCE_EXPIRING.code,
        "key": f"licence_expiring:test:{Notification.objects.count()}",
        "subject": "Votre permis expire",
        "body": "Bonjour,\n\nVotre permis expire bientôt.\n",
        **fields,
    }
    return Notification.objects.create(recipient=recipient, **values)


@pytest.fixture
def smtp(settings):
    server = SmtpServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


def test_a_pending_notification_is_sent_and_marked_sent():
    notification = pending()
    assert deliver_notification(notification.pk) == "sent"
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1
    assert notification.sent_at is not None
    (message,) = mail.outbox
    assert message.to == [notification.recipient.email]
    assert message.subject == "Votre permis expire"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


def test_delivering_twice_sends_once():
    notification = pending()
    outcomes = [deliver_notification(notification.pk), deliver_notification(notification.pk)]
    assert outcomes == ["sent", "skipped"]
    assert len(mail.outbox) == 1


def test_only_one_claim_wins():
    notification = pending()
    now = timezone.now()
    assert claim_notification(notification.pk, now=now) is True
    assert claim_notification(notification.pk, now=now) is False


def test_a_notification_claimed_by_a_live_worker_is_left_alone(time_machine):
    notification = pending()
    time_machine.move_to(timezone.now(), tick=False)
    claim_notification(notification.pk, now=timezone.now())
    time_machine.shift(LEASE - dt.timedelta(seconds=1))
    assert deliver_due_notifications().sent == 0
    assert mail.outbox == []


def test_a_notification_whose_worker_died_is_sent_after_the_lease(time_machine):
    notification = pending()
    time_machine.move_to(timezone.now(), tick=False)
    claim_notification(notification.pk, now=timezone.now())  # then the worker died
    time_machine.shift(LEASE + dt.timedelta(seconds=1))
    assert deliver_due_notifications().sent == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.SENT, 2)
    assert len(mail.outbox) == 1


def test_the_sweep_sends_everything_pending_oldest_first():
    first, second = pending(), pending()
    pending(status=Notification.Status.SENT)
    pending(status=Notification.Status.FAILED)
    assert deliver_due_notifications().sent == 2
    assert [m.subject for m in mail.outbox] == [first.subject, second.subject]


def test_a_transient_refusal_is_retried_later(smtp, time_machine):
    notification = pending()
    time_machine.move_to(timezone.now(), tick=False)
    smtp.behaviour.rcpt_reply = b"451 4.7.1 greylisted, try again later"
    assert deliver_notification(notification.pk) == "retried"
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING
    assert "451" in notification.last_error
    assert notification.next_attempt_at == timezone.now() + delivery.RETRY_DELAYS[0]
    assert deliver_due_notifications().sent == 0  # not due yet
    smtp.behaviour.rcpt_reply = b"250 2.1.5 OK"
    time_machine.shift(delivery.RETRY_DELAYS[0])
    assert deliver_due_notifications().sent == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.SENT, 2)
    assert notification.last_error == ""
    assert len(smtp.received) == 1


def test_a_permanent_refusal_fails_at_once_with_the_error(smtp):
    notification = pending()
    smtp.behaviour.rcpt_reply = b"550 5.1.1 no such mailbox"
    assert deliver_notification(notification.pk) == "failed"
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert "550" in notification.last_error
    assert "no such mailbox" in notification.last_error
    assert deliver_due_notifications().sent == 0
    assert smtp.received == []


def test_a_mail_server_that_is_down_is_a_transient_error(settings):
    with SmtpServer() as closed:  # bound, then closed: nobody listens on its port
        port = closed.port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    notification = pending()
    assert deliver_due_notifications().retried == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING
    assert "Connection refused" in notification.last_error or "111" in notification.last_error


def test_transient_errors_give_up_after_the_last_attempt(smtp, time_machine):
    notification = pending()
    time_machine.move_to(timezone.now(), tick=False)
    smtp.behaviour.rcpt_reply = b"421 4.3.2 try later"
    outcomes = []
    for _ in range(MAX_ATTEMPTS):
        outcomes.append(deliver_notification(notification.pk))
        time_machine.shift(dt.timedelta(days=1))
    assert outcomes == ["retried"] * (MAX_ATTEMPTS - 1) + ["failed"]
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("failed", MAX_ATTEMPTS)
    assert deliver_notification(notification.pk) == "skipped"


def test_a_notification_interrupted_every_time_ends_failed(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    stuck = pending(
        status=Notification.Status.SENDING,
        attempts=MAX_ATTEMPTS,
        claimed_at=timezone.now() - LEASE - dt.timedelta(minutes=1),
    )
    assert fail_abandoned(now=timezone.now()) == 1
    stuck.refresh_from_db()
    assert stuck.status == Notification.Status.FAILED
    assert "interrupted" in stuck.last_error


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (smtplib.SMTPRecipientsRefused({"a@b.c": (450, b"mailbox busy")}), True),
        (smtplib.SMTPRecipientsRefused({"a@b.c": (550, b"unknown")}), False),
        (smtplib.SMTPSenderRefused(451, b"later", "x@y.z"), True),
        (smtplib.SMTPDataError(554, b"rejected"), False),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), False),
        (smtplib.SMTPServerDisconnected("lost"), True),
        (ConnectionRefusedError(111, "refused"), True),
        (TimeoutError("timed out"), True),
        (ValueError("bad header"), False),
    ],
)
def test_which_errors_are_transient(error, transient):
    assert is_transient(error) is transient


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_does_not_lose_the_message(smtp, time_machine):
    """A real worker process claims the notification and hangs in the SMTP exchange; it is
    killed (SIGKILL). The row stays "sending"; after the lease the sweep sends it, once."""
    notification = pending()
    smtp.behaviour.hang_at_rcpt = True
    worker = subprocess.Popen(  # noqa: S603 - our interpreter, our script
        [sys.executable, "-c", WORKER_SCRIPT, str(notification.pk)],
        cwd=settings.BASE_DIR,
        env={**os.environ, **_worker_environment(smtp.port)},
    )
    try:
        assert smtp.behaviour.hanging.wait(timeout=60), "the worker never reached the server"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.SENDING, 1)
    smtp.behaviour.hang_at_rcpt = False
    smtp.behaviour.release.set()
    assert deliver_due_notifications().sent == 0  # its lease still runs
    time_machine.move_to(timezone.now() + LEASE + dt.timedelta(seconds=5), tick=False)
    assert deliver_due_notifications().sent == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.SENT, 2)
    assert len(smtp.received) == 1


WORKER_SCRIPT = """
import sys, django
django.setup()
from notifications.delivery import deliver_notification
deliver_notification(int(sys.argv[1]))
"""


def _worker_environment(smtp_port: int) -> dict[str, str]:
    """The test database and the test SMTP server, for a separate worker process."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{database['NAME']}"
    else:
        url = (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
            f"{database['PORT']}/{database['NAME']}"
        )
    return {
        "DATABASE_URL": url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}?tls=0",
        "DJANGO_SETTINGS_MODULE": "carshare.settings",
        "DEBUG": "1",
    }
