"""Statements after a period is closed: each member concerned (postings in the period, or a
balance at its end) is told that their statement is final, with their balance.

Computed from the closed periods of the last days, so it runs on a schedule and, sooner,
when the ledger's close_period service queues it after commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from core.money import ZERO, format_euros
from core.notices import Job, Message, ScanCounts, link, queue_notifications
from core.scanning import CATCH_UP_DAYS, chunked
from ledger.models import Account, Leg, Period
from ledger.notifications import STATEMENT_READY
from ledger.selectors.balances import balances
from members.models import Membership

STATEMENTS = "statements"


def scan_statements(*, now: dt.datetime) -> ScanCounts:
    """Periods closed in the last days: tell each member concerned (three queries a period,
    then a fixed number per batch of members)."""
    counts = ScanCounts()
    recent = Period.objects.filter(closed_at__gte=now - dt.timedelta(days=CATCH_UP_DAYS))
    for period in recent.select_related("association").order_by("pk"):
        concerned = _concerned(period)
        counts.checked += len(concerned)
        for ids in chunked(sorted(concerned)):
            counts.add(queue_notifications(_messages(period, ids, concerned)))
    return counts


def _concerned(period: Period) -> dict[int, Decimal]:
    """Members with postings in the period or a balance at its end -> balance at its end."""
    at_end = {
        party.membership_id: party.balance
        for party in balances(period.association, as_of=period.ends_on)
        if party.kind == Account.Kind.MEMBER and party.membership_id is not None
    }
    posted = Leg.objects.filter(
        account__association=period.association,
        account__membership__isnull=False,
        transaction__date__range=(period.starts_on, period.ends_on),
    ).values_list("account__membership_id", flat=True)
    concerned = {member for member, balance in at_end.items() if balance != ZERO}
    concerned.update(posted.distinct())
    return {member: at_end.get(member, ZERO) for member in concerned}


def _messages(period: Period, ids: Sequence[int], balance_of: dict[int, Decimal]) -> list[Message]:
    association = period.association
    url = link("ledger:my_statement", slug=association.slug, period=period.key)
    memberships = Membership.objects.filter(
        pk__in=ids, status=Membership.Status.ACTIVE
    ).select_related("user")
    messages = []
    for membership in memberships:
        balance = balance_of[membership.pk]
        context = {
            "starts_on": period.starts_on,
            "ends_on": period.ends_on,
            "balance": format_euros(abs(balance)) if balance != ZERO else "",
            "owed_to_you": balance > ZERO,
        }
        messages.append(
            Message(
                membership.user,
                STATEMENT_READY,
                f"period:{period.pk}:membership:{membership.pk}",
                association,
                context,
                url,
            )
        )
    return messages


JOBS = [
    Job(
        STATEMENTS,
        _("Statements of closed periods"),
        _("every hour, and as soon as a period is closed"),
        scan_statements,
    ),
]
