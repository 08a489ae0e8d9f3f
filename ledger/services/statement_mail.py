"""The statements of a closed period, e-mailed to the members it concerns with the PDF.

`queue_period_statements` queues one `statement_ready` notification per member concerned
(postings in the period, or a balance at its end), keyed by period and membership, so the
close that calls it (inside its transaction) and the hourly catch-up job create each one
once. The PDF is not rendered here: the notification names the maker "ledger.statement",
which the delivery calls when it sends the e-mail (`statement_attachment`), outside any
transaction and within the PDF render caps (busy workers: the e-mail waits and is retried).
A closed period's statement cannot change, so rendering it later prints the same figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from contracts.rendering import DocumentRenderError
from core.money import ZERO, format_euros
from core.notices import (
    AttachedFile,
    Attachment,
    AttachmentNotReady,
    Message,
    ScanCounts,
    link,
    queue_notifications,
)
from core.pdf import RenderBusy
from core.scanning import chunked
from ledger.documents import render_statement, statement_filename
from ledger.models import Account, Leg, Period
from ledger.notifications import STATEMENT_READY
from ledger.periods import parse_period
from ledger.selectors.balances import balances
from members.models import Association, Membership
from members.permissions import Actor, require_admin

STATEMENT_MAKER = "ledger.statement"

# The service; concerned_members and statement_attachment are reads (the all-statements
# PDF, the outbox's delivery).
__all__ = ["queue_period_statements"]


def queue_period_statements(*, actor: Actor, period: Period) -> ScanCounts:
    """Queue the statement of every member concerned by a closed period (idempotent; a
    fixed number of queries per batch of members): the close, or the catch-up job."""
    require_admin(actor, period.association_id)
    return queue_statements(period)


def queue_statements(period: Period) -> ScanCounts:
    """The queueing itself, unchecked: for the close, which checked its actor already."""
    counts = ScanCounts()
    concerned = _concerned(period)
    counts.checked += len(concerned)
    for ids in chunked(sorted(concerned)):
        counts.add(queue_notifications(_messages(period, ids, concerned)))
    return counts


def _concerned(period: Period) -> dict[int, Decimal]:
    return concerned_members(period.association, period.starts_on, period.ends_on)


def concerned_members(
    association: Association, starts_on: dt.date, ends_on: dt.date
) -> dict[int, Decimal]:
    """Members with postings in the period or a balance at its end -> balance at its end."""
    at_end = {
        party.membership_id: party.balance
        for party in balances(association, as_of=ends_on)
        if party.kind == Account.Kind.MEMBER and party.membership_id is not None
    }
    posted = Leg.objects.filter(
        account__association=association,
        account__membership__isnull=False,
        transaction__date__range=(starts_on, ends_on),
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
        attachment = Attachment(
            STATEMENT_MAKER, {"membership": membership.pk, "period": period.key}
        )
        messages.append(
            Message(
                membership.user,
                STATEMENT_READY,
                f"period:{period.pk}:membership:{membership.pk}",
                association,
                context,
                url,
                attachment=attachment,
            )
        )
    return messages


def statement_attachment(params: Mapping[str, Any]) -> AttachedFile:
    """The PDF of a member's statement of a period (the delivery calls it when sending)."""
    membership = Membership.objects.select_related("user", "association").get(
        pk=int(params["membership"])
    )
    span = parse_period(str(params["period"]))
    try:
        document = render_statement(membership, span)
    except (RenderBusy, DocumentRenderError) as busy:
        raise AttachmentNotReady(str(busy)) from busy
    return AttachedFile(statement_filename(membership, span), document.pdf, "application/pdf")
