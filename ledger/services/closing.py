"""Closing a settlement period: share the shared cars' expenses, then freeze the period.

Periods close one after the other, from the period of the first posting; a period can be
closed once it is over (from its next day, in the association's zone). After the close
nothing dated in it or before it can change: corrections are reversing entries dated today.

An admin closes a period and, in the same action, every open period before it
(`close_periods_through`: thirteen empty months are one submission). The platform closes
periods by itself (`close_due_periods`, the scheduled job): an empty period as soon as it
is over, the others `LedgerSettings.auto_close_days` days after their end, always in order
and after posting the recurring expenses due.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.errors import ConflictError, DomainError
from core.notices import ScanCounts
from core.timeutils import local_today
from ledger.models import LedgerTransaction, Period
from ledger.periods import BadPeriod, Span, parse_period, period_containing
from ledger.selectors.settings import ledger_settings
from ledger.services.posting import lock_ledger
from ledger.services.recurring import post_occurrences_due
from ledger.services.sharing import post_expense_shares
from ledger.services.statement_mail import queue_statements
from members.audit import record_audit
from members.models import Association
from members.permissions import Actor, require_admin

# The services; next_period_to_close is a read the pages use too.
__all__ = ["close_due_periods", "close_period", "close_periods_through"]


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
    """An admin shares the period's expenses of shared cars, freezes the period and queues
    its statements to the members concerned (e-mailed after commit, the PDF attached)."""
    require_admin(actor, association.pk)
    return _close(association, key, actor)[0]


def _close(association: Association, key: str, actor: Actor) -> tuple[Period, ScanCounts]:
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
        # The period's statements are final: to the members now, not at the next hourly run.
        statements = queue_statements(period)
    return period, statements


# A bound on one batch of closes (a century of months): the loop below always ends.
MAX_CLOSES = 1200


def close_periods_through(*, actor: Actor, association: Association, key: str) -> list[Period]:
    """An admin closes, in order, every open period up to and including `key` (all or none)."""
    require_admin(actor, association.pk)
    try:
        target = parse_period(key)
    except BadPeriod:
        raise DomainError(_("Unknown period."), code="bad_period") from None
    if Period.objects.filter(association=association, key=target.key).exists():
        raise ConflictError(
            _("The period %(period)s is already closed.") % {"period": target.key},
            code="already_closed",
        )
    closed: list[Period] = []
    with transaction.atomic():
        lock_ledger(association)
        while len(closed) < MAX_CLOSES:
            span = next_period_to_close(association)
            if span is None or span.ends_on > target.ends_on:
                break
            closed.append(_close(association, span.key, actor)[0])
    if not closed:
        _check_closable(association, target.key)  # says why nothing could be closed
    return closed


def _is_empty(association: Association, span: Span) -> bool:
    return not LedgerTransaction.objects.filter(
        association=association, date__range=(span.starts_on, span.ends_on)
    ).exists()


def close_due_periods(*, actor: Actor, association: Association, today: dt.date) -> ScanCounts:
    """What the scheduled job does for one association: post the recurring expenses due,
    then close in order every period whose time has come (an empty one once over, the
    others `auto_close_days` after their end; nothing when the association closes by hand).
    Counts the periods closed (`checked`) and the statements queued (`created`)."""
    require_admin(actor, association.pk)
    post_occurrences_due(association, today, actor.user)
    counts = ScanCounts()
    days = ledger_settings(association).auto_close_days
    if days is None:
        return counts
    with transaction.atomic():
        # One pass at a time per association: two workers at once close each period once.
        lock_ledger(association)
        while counts.checked < MAX_CLOSES:
            span = next_period_to_close(association)
            if span is None or span.ends_on >= today:
                break
            due = span.ends_on + dt.timedelta(days=days)
            if today < due and not _is_empty(association, span):
                break
            _period, statements = _close(association, span.key, actor)
            counts.checked += 1
            counts.created += statements.created
            counts.by_association.update(statements.by_association)
    return counts
