"""The Celery application and the one beat schedule.

Embedded default: an on-disk broker under var/celery (no server), and `make run` starts a
worker with beat beside the web server. Production: REDIS_URL, any number of workers and
exactly one beat process (docs/DEPLOY.md).

Every entry of the schedule is commented with when it runs and why. Scans are idempotent
(they compute from database state and claim work in the notifications outbox), so a
missed or doubled run loses and repeats nothing.
"""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carshare.settings")

app = Celery("carshare")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _scan(name: str, schedule: crontab, expires: int) -> dict[str, object]:
    """A beat entry running the job `name`, which the app owning it registered with
    notifications.registry (a test keeps the entries and the registered jobs in step). A
    message not picked up within `expires` seconds is dropped: the next run computes the
    same things anyway."""
    return {
        "task": "notifications.run_job",
        "args": (name,),
        "schedule": schedule,
        "options": {"expires": expires},
    }


# Times are Europe/Paris (CELERY_TIMEZONE). Daily jobs run between 04:00 and 08:00, away
# from the hour that repeats or disappears on daylight-saving nights (02:00-03:00).
app.conf.beat_schedule = {
    # Every minute: send what is pending in the outbox (created while the broker was down,
    # or a retry that is due). Sending is also queued when a notification is created; this
    # is the safety net that makes a lost message impossible.
    "deliver_notifications": _scan("deliver_notifications", crontab(), 50),
    # Every morning at 07:00: driving licences expiring in 30, 7 and 0 days. A morning
    # e-mail gets read; the driver has time to renew before the day.
    "licence_expiry": _scan("licence_expiry", crontab(hour=7, minute=0), 3600),
    # Every morning at 07:05: insurance and roadworthiness tests expiring in 30, 7, 0 days,
    # to the owners and admins (an uninsured car must not be booked).
    "vehicle_documents": _scan("vehicle_documents", crontab(hour=7, minute=5), 3600),
    # Every morning at 07:10: probationary licences that ended, with the cars now open.
    "probation_ends": _scan("probation_ends", crontab(hour=7, minute=10), 3600),
    # Every morning at 07:15: membership fees ending in 30 days or today.
    "fee_renewals": _scan("fee_renewals", crontab(hour=7, minute=15), 3600),
    # Every night at 04:15: signed agreements whose deductible, insurance, tariff or key
    # option changed go to the admins' "to re-sign" list (a tariff starting today counts
    # from today), and the admins are told per vehicle before the day's handovers.
    "outdated_agreements": _scan("outdated_agreements", crontab(hour=4, minute=15), 3600),
    # Every night at 04:00: the recurring expenses due (insurance instalments, parking
    # rent) are posted, once per occurrence, before the morning's pages and the close below.
    "recurring_expenses": _scan("recurring_expenses", crontab(hour=4, minute=0), 3600),
    # Every night at 04:05: periods whose time has come close by themselves, in order (an
    # empty one once over, the others the association's number of days after their end);
    # the recurring expenses due are posted first, so a period never closes without them.
    "period_close": _scan("period_close", crontab(hour=4, minute=5), 3600),
    # Every hour at :20: members concerned by a period closed in the last days hear that
    # their statement is final. Closing a period also queues this job at once (the ledger's
    # close_period service); the hourly run catches up when the broker was down.
    "statements": _scan("statements", crontab(minute=20), 3000),
    # Every 5 minutes: reminders the day before a booking (same wall-clock time) and 2 hours
    # before it, to the driver, and to the owner when the keys are handed over in person.
    "booking_reminders": _scan("booking_reminders", crontab(minute="*/5"), 240),
    # Every 5 minutes: requests waiting for approval go to the owner at once, and to the
    # admins after a day (or 12 hours before the start) without an answer.
    "approvals": _scan("approvals", crontab(minute="*/5"), 240),
    # Every 5 minutes: a return is due at the booking's end, overdue an hour later (the
    # driver, the admins and the next driver); a trip never checked out is to be recorded.
    "returns": _scan("returns", crontab(minute="*/5"), 240),
    # Every night at 04:30: each future booking is checked again with the booking rules (a
    # licence can expire, a membership end, an insurance lapse): admins see what no longer
    # holds before the morning's handovers.
    "ineligible_bookings": _scan("ineligible_bookings", crontab(hour=4, minute=30), 3600),
    # Every night at 04:45, after the agreements check: future bookings by drivers without
    # a current agreement for the car are flagged to the admins.
    "bookings_without_agreement": _scan(
        "bookings_without_agreement", crontab(hour=4, minute=45), 3600
    ),
    # Every minute: announcements the admins wrote that are not queued yet. Publishing one
    # queues this job at once; this run catches up when the broker was down.
    "announcements": _scan("announcements", crontab(), 50),
    # Every night at 04:00: personal data of memberships ended longer ago than the retention
    # period (PERSONAL_DATA_RETENTION_MONTHS) are purged (docs/PRIVACY.md); a missed night
    # is caught up by the next, a day late at most.
    "personal_data": _scan("personal_data", crontab(hour=4, minute=0), 3600),
    # Every morning at 08:30: each owner's summary of last month (trips, km, fuel, money,
    # incidents, bookings to come), in the app and by e-mail; keyed per owner and month, so
    # the first run of the month sends it and the later ones catch up after an outage.
    "owner_summaries": _scan("owner_summaries", crontab(hour=8, minute=30), 3600),
}
