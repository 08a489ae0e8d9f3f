"""The registry of scheduled jobs: each scan by name, with a label and its schedule for people.

The roof may import every app, so the registry lives here; each scan lives in the app that
owns its data. `carshare/celery.py` has one beat entry per name (a test keeps the two in
step), `python manage.py run_scans [NAME…]` runs them at once, and the admin page of each
association lists them with their last run (members.notifications.runs).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bookings.scans import (
    scan_approvals,
    scan_booking_starts,
    scan_bookings_without_agreement,
    scan_ineligible_bookings,
    scan_returns,
)
from carshare.tasks import run_scan
from contracts.scans import scan_outdated_agreements
from core.queue import enqueue_on_commit
from ledger.scans import scan_statements
from members.notifications.delivery import deliver_due_notifications
from members.notifications.runs import Job, ScanCounts, register_job
from members.scans import scan_fee_renewals, scan_licence_expiry, scan_personal_data
from vehicles.scans import scan_probation_ends, scan_vehicle_documents

DELIVER = "deliver_notifications"
STATEMENTS = "statements"


def sweep_outbox(**_kwargs: object) -> ScanCounts:
    """Deliver whatever is pending: created while the broker was down, or due for a retry."""
    counts = deliver_due_notifications()
    return ScanCounts(checked=counts.sent + counts.retried + counts.failed, sent=counts.sent)


JOBS = [
    Job(DELIVER, _("Sending of pending notifications"), _("every minute"), sweep_outbox),
    Job(
        "licence_expiry",
        _("Driving licences expiring"),
        _("every day at 07:00"),
        scan_licence_expiry,
    ),
    Job(
        "vehicle_documents",
        _("Insurance and roadworthiness tests expiring"),
        _("every day at 07:05"),
        scan_vehicle_documents,
    ),
    Job(
        "probation_ends",
        _("Probationary licences ending"),
        _("every day at 07:10"),
        scan_probation_ends,
    ),
    Job(
        "fee_renewals",
        _("Membership fees to renew"),
        _("every day at 07:15"),
        scan_fee_renewals,
    ),
    Job(
        "outdated_agreements",
        _("Agreements to re-sign after a change of terms"),
        _("every night at 04:15"),
        scan_outdated_agreements,
    ),
    Job(
        STATEMENTS,
        _("Statements of closed periods"),
        _("every hour, and as soon as a period is closed"),
        scan_statements,
    ),
    Job(
        "booking_reminders",
        _("Reminders before a booking starts"),
        _("every 5 minutes"),
        scan_booking_starts,
    ),
    Job(
        "approvals",
        _("Bookings waiting for approval"),
        _("every 5 minutes"),
        scan_approvals,
    ),
    Job(
        "returns",
        _("Returns due and overdue, trips not recorded"),
        _("every 5 minutes"),
        scan_returns,
    ),
    Job(
        "ineligible_bookings",
        _("Future bookings whose driver no longer meets the rules"),
        _("every night at 04:30"),
        scan_ineligible_bookings,
    ),
    Job(
        "bookings_without_agreement",
        _("Future bookings without a current agreement"),
        _("every night at 04:45"),
        scan_bookings_without_agreement,
    ),
    Job(
        "personal_data",
        _("Former members' personal data deleted after the retention period"),
        _("every night at 04:00"),
        scan_personal_data,
    ),
]

SCAN_NAMES = [job.name for job in JOBS]

# The once-a-day checks over every member, vehicle and booking (bench/nightly_scans.py).
NIGHTLY = frozenset(
    {
        "licence_expiry",
        "vehicle_documents",
        "probation_ends",
        "fee_renewals",
        "outdated_agreements",
        "ineligible_bookings",
        "bookings_without_agreement",
        "personal_data",
    }
)


def register_scans() -> None:
    """Make the jobs known to members (admin page, run_scans); called at start-up."""
    for job in JOBS:
        register_job(job)


def statements_on_period_close(**_kwargs: object) -> None:
    """The ledger closed a period (after commit): send its statements now, not at :20."""
    enqueue_on_commit(run_scan, STATEMENTS)
