"""The ledger's scheduled jobs.

- recurring_expenses: every occurrence of a recurring expense that is due is posted, once;
- period_close: each association's periods whose time has come close by themselves, in
  order (ledger.services.closing.close_due_periods);
- statements: after a period is closed, each member concerned (postings in the period, or
  a balance at its end) gets their final statement by e-mail, the PDF attached. The close
  queues them in its own transaction; this job catches up over the closed periods of the
  last days (ledger.services.statement_mail).

Each association's day is its own (its time zone) at the moment of the run.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.notices import Job, ScanCounts
from core.scanning import CATCH_UP_DAYS
from ledger.models import LedgerTransaction, Period, RecurringExpense
from ledger.services.closing import close_due_periods
from ledger.services.recurring import post_due_recurring_expenses
from ledger.services.statement_mail import queue_period_statements
from members.models import Association
from members.permissions import SystemActor

STATEMENTS = "statements"
RECURRING_EXPENSES = "recurring_expenses"
PERIOD_CLOSE = "period_close"


def scan_recurring_expenses(*, now: dt.datetime) -> ScanCounts:
    """Post the recurring expenses due in each association that has some (its local day)."""
    counts = ScanCounts()
    having = RecurringExpense.objects.values("association_id")
    for association in Association.objects.filter(pk__in=having).order_by("pk"):
        today = now.astimezone(association.tz).date()
        actor = SystemActor(association, RECURRING_EXPENSES)
        posted = post_due_recurring_expenses(actor=actor, association=association, today=today)
        counts.checked += len(posted)
    return counts


def scan_period_close(*, now: dt.datetime) -> ScanCounts:
    """Close the periods whose time has come, in each association that posted something
    (or has recurring expenses, which the close posts first)."""
    counts = ScanCounts()
    posted = LedgerTransaction.objects.values("association_id")
    recurring = RecurringExpense.objects.values("association_id")
    having = Association.objects.filter(Q(pk__in=posted) | Q(pk__in=recurring))
    for association in having.order_by("pk"):
        today = now.astimezone(association.tz).date()
        actor = SystemActor(association, PERIOD_CLOSE)
        result = close_due_periods(actor=actor, association=association, today=today)
        counts.checked += result.checked
        counts.created += result.created
        counts.by_association.update(result.by_association)
    return counts


def scan_statements(*, now: dt.datetime) -> ScanCounts:
    """Periods closed in the last days: the statement of each member concerned (the close
    queued them already; this catches up what a failure left out)."""
    counts = ScanCounts()
    recent = Period.objects.filter(closed_at__gte=now - dt.timedelta(days=CATCH_UP_DAYS))
    for period in recent.select_related("association").order_by("pk"):
        actor = SystemActor(period.association, STATEMENTS)
        result = queue_period_statements(actor=actor, period=period)
        counts.checked += result.checked
        counts.created += result.created
        counts.by_association.update(result.by_association)
    return counts


JOBS = [
    Job(
        RECURRING_EXPENSES,
        _("Recurring expenses"),
        _("every night"),
        scan_recurring_expenses,
    ),
    Job(
        PERIOD_CLOSE,
        _("Automatic close of periods"),
        _("every night, after the recurring expenses"),
        scan_period_close,
    ),
    Job(
        STATEMENTS,
        _("Statements of closed periods"),
        _("every hour, and as soon as a period is closed"),
        scan_statements,
    ),
]
