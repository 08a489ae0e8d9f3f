"""Closing a settlement period: share the shared cars' expenses, then freeze the period.

Periods close one after the other, from the period of the first posting; a period can be
closed once it is over (from its next day, in the association's zone). After the close
nothing dated in it or before it can change: corrections are reversing entries dated today.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.errors import ConflictError, DomainError
from core.queue import enqueue_on_commit
from core.timeutils import local_today
from ledger.models import LedgerTransaction, Period
from ledger.periods import Span, period_containing
from ledger.scans import STATEMENTS
from ledger.services.posting import lock_ledger
from ledger.services.sharing import post_expense_shares
from members.audit import record_audit
from members.models import Association
from members.permissions import Actor, require_admin
from notifications.tasks import run_scheduled_job

# The services; next_period_to_close is a read the pages use too.
__all__ = ["close_period"]


def next_period_to_close(association: Association) -> Span | None:
    """The period that must be closed next, or None when nothing was ever posted."""
    last = Period.objects.filter(association=association).order_by("-ends_on").first()
    kind = association.settlement_period
    if last is not None:
        first_day = last.ends_on + dt.timedelta(days=1)
        return period_containing(first_day, kind).clipped_from(first_day)
    first = (
        LedgerTransaction.objects.filter(association=association)
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    return period_containing(first, kind) if first is not None else None


def _check_closable(association: Association, key: str) -> Span:
    span = next_period_to_close(association)
    if Period.objects.filter(association=association, key=key).exists():
        raise ConflictError(
            _("The period %(period)s is already closed.") % {"period": key},
            code="already_closed",
        )
    if span is None:
        raise DomainError(
            _("Nothing has been posted yet: there is nothing to close."), code="empty"
        )
    if span.key != key:
        raise DomainError(
            _("Periods close in order: close %(period)s first.") % {"period": span.key},
            code="not_next",
        )
    if span.ends_on >= local_today(association.tz):
        raise DomainError(
            _("The period ends on %(date)s: it can be closed from the next day.")
            % {"date": date_format(span.ends_on, "SHORT_DATE_FORMAT")},
            code="not_over",
        )
    return span


def close_period(*, actor: Actor, association: Association, key: str) -> Period:
    """An admin shares the period's expenses of shared cars, then freezes the period."""
    require_admin(actor, association.pk)
    _check_closable(association, key)
    with transaction.atomic():
        lock_ledger(association)
        span = _check_closable(association, key)  # again, under the lock
        shares = post_expense_shares(association=association, span=span, actor=actor.user)
        period = Period.objects.create(
            association=association,
            key=span.key,
            starts_on=span.starts_on,
            ends_on=span.ends_on,
            closed_by=actor.user,
        )
        record_audit(
            action="ledger.period_closed",
            actor=actor.user,
            association=association,
            target=period,
            data={"key": span.key, "shares": [txn.pk for txn in shares]},
        )
        # The period's statements are final: tell the members now, not at the next hourly run.
        enqueue_on_commit(run_scheduled_job, STATEMENTS)
    return period
