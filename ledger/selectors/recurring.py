"""Reads about recurring expenses (the admins' list)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max

from core.timeutils import add_months
from ledger.models import RecurringExpense
from members.models import Association


@dataclass(frozen=True)
class RecurringRow:
    recurring: RecurringExpense
    posted: int
    last_posted: dt.date | None
    next_due: dt.date | None


def next_due(recurring: RecurringExpense, after: dt.date | None) -> dt.date | None:
    """The first due date after `after` (the first one when None), or None once ended."""
    index = 0
    while True:
        due = add_months(recurring.starts_on, recurring.months_between * index)
        if recurring.ends_on is not None and due > recurring.ends_on:
            return None
        if after is None or due > after:
            return due
        index += 1


def recurring_rows(association: Association) -> list[RecurringRow]:
    """Every recurring expense of the association with what was posted (two queries)."""
    expenses = (
        RecurringExpense.objects.filter(association=association)
        .select_related("vehicle", "paid_by__membership__user", "paid_by__association")
        .annotate(posted=Count("occurrences"), last_posted=Max("occurrences__due_on"))
        .order_by("vehicle__name", "starts_on", "pk")
    )
    return [
        RecurringRow(item, item.posted, item.last_posted, next_due(item, item.last_posted))
        for item in expenses
    ]
