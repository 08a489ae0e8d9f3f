"""Lists of transactions for pages, exports and the API."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.timeutils import local_today
from ledger.models import LedgerTransaction, Leg, Period
from ledger.periods import BadPeriod, Span, parse_period, period_containing, periods_between
from members.models import Association, Membership


def span_from_key(association: Association, key: str | None) -> Span:
    """The period named by `key` ("2026-11" or "2026-Q4"); the current one when empty.

    A malformed key is a DomainError (code "bad_period", HTTP 400).
    """
    if not key:
        today = local_today(association.tz)
        return period_containing(today, association.settlement_period)
    try:
        return parse_period(key)
    except BadPeriod:
        raise DomainError(
            _("Unknown period: use a month such as 2026-11 or a quarter such as 2026-Q4."),
            code="bad_period",
        ) from None


def transactions_in(
    association: Association,
    first_day: dt.date,
    last_day: dt.date,
    *,
    membership: Membership | None = None,
) -> QuerySet[LedgerTransaction]:
    """The transactions between two days, with their legs; a member's own ones if given."""
    legs = Leg.objects.select_related("account__membership__user", "account__association").order_by(
        "pk"
    )
    txns = LedgerTransaction.objects.filter(
        association=association, date__range=(first_day, last_day)
    )
    if membership is not None:
        txns = txns.filter(legs__account__membership=membership) | txns.filter(
            driver=membership, kind=LedgerTransaction.Kind.TRIP
        )
        legs = legs.filter(account__membership=membership)
    return (
        txns.distinct()
        .select_related("vehicle", "driver__user", "association")
        .prefetch_related(Prefetch("legs", queryset=legs))
        .order_by("date", "pk")
    )


def is_closed(association: Association, span: Span) -> bool:
    return Period.objects.filter(association=association, ends_on__gte=span.ends_on).exists()


def recent_periods(association: Association, count: int = 12) -> list[Span]:
    """The association's periods from its first posting to today, newest first (at most
    `count`)."""
    first = (
        LedgerTransaction.objects.filter(association=association)
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    today = local_today(association.tz)
    spans = periods_between(min(first or today, today), today, association.settlement_period)
    return list(reversed(spans))[:count]
