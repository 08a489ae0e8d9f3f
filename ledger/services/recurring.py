"""Recurring expenses: recorded once by an admin, posted by the platform on each due date.

`post_due_recurring_expenses` is what the scheduled job (ledger.scans) and the period close
run: each occurrence due by `today` and not yet posted becomes an expense (of its car, or of
the association as a whole) and a `RecurringOccurrence` row, in one savepoint, under the
association's ledger lock. The row is unique per expense and due date, so two runs, or two
workers at once, post an occurrence once; an occurrence an admin reversed stays posted-and-
reversed (its row remains) and is never posted again. Occurrences that fall in a period
already closed when the expense was recorded are not posted (a closed period is final).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.money import round_money
from core.timeutils import add_months, local_today
from ledger.models import Account, LedgerTransaction, Period, RecurringExpense, RecurringOccurrence
from ledger.services.expenses import book_association_expense, book_vehicle_expense
from ledger.services.posting import lock_ledger
from members.audit import record_audit
from members.models import Association, Membership, User
from members.permissions import Actor, require_admin
from vehicles.models import Vehicle

logger = logging.getLogger(__name__)

Frequency = RecurringExpense.Frequency
FIELDS = (
    "vehicle",
    "category",
    "description",
    "amount",
    "paid_by",
    "frequency",
    "starts_on",
    "ends_on",
)
RELATIONS = ("vehicle", "paid_by")

# The services; occurrences, occurrence_reference and first_open_day_after_closes are reads.
__all__ = ["create_recurring_expense", "post_due_recurring_expenses", "update_recurring_expense"]


@dataclass(frozen=True)
class RecurringTerms:
    """What an admin states about a recurring expense (the form's fields)."""

    vehicle: Vehicle | None
    category: str
    description: str
    amount: Decimal
    paid_by: Account
    frequency: str
    starts_on: dt.date
    ends_on: dt.date | None = None


def occurrences(recurring: RecurringExpense, first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """The due dates of `recurring` between `first` and `last` (both included)."""
    last = min(last, recurring.ends_on) if recurring.ends_on else last
    step, index = recurring.months_between, 0
    while (due := add_months(recurring.starts_on, step * index)) <= last:
        if due >= first:
            yield due
        index += 1


def _check(association: Association, terms: RecurringTerms) -> None:
    if terms.vehicle is not None and terms.vehicle.association_id != association.pk:
        raise DomainError(_("The vehicle belongs to another association."), code="foreign")
    if terms.paid_by.association_id != association.pk:
        raise DomainError(_("The payer belongs to another association."), code="foreign")
    if terms.category not in LedgerTransaction.Category.values:
        raise DomainError(_("Unknown expense category."), code="category")
    if terms.frequency not in Frequency.values:
        raise DomainError(_("Choose every month or every quarter."), code="frequency")
    if round_money(terms.amount) <= 0:
        raise DomainError(_("The amount must be greater than zero."), code="amount")
    if terms.ends_on is not None and terms.ends_on < terms.starts_on:
        raise DomainError(_("The last day cannot come before the first occurrence."), code="dates")


def _apply(recurring: RecurringExpense, terms: RecurringTerms) -> list[str]:
    """Set the terms on the row; the names of the fields that changed (all of a new row)."""
    changed = []
    for name in FIELDS:
        value = getattr(terms, name)
        value = round_money(value) if name == "amount" else value
        related = name in RELATIONS  # compared by id: no query, no error on a new row
        current = getattr(recurring, f"{name}_id" if related else name)
        new = getattr(value, "pk", None) if related else value
        if recurring.pk is None or current != new:
            setattr(recurring, name, value)
            changed.append(name)
    return changed


def create_recurring_expense(
    *, actor: Membership, terms: RecurringTerms
) -> tuple[RecurringExpense, list[LedgerTransaction]]:
    """Record a recurring expense and post the occurrences already due (admins only)."""
    association = actor.association
    require_admin(actor, association.pk)
    _check(association, terms)
    with transaction.atomic():
        recurring = RecurringExpense(association=association, created_by=actor.user)
        _apply(recurring, terms)
        recurring.save()
        _audit("ledger.recurring_created", recurring, actor.user, {"amount": str(terms.amount)})
        posted = post_occurrences_due(association, _today(association), actor.user)
    return recurring, posted


def update_recurring_expense(
    *, actor: Membership, recurring: RecurringExpense, terms: RecurringTerms
) -> tuple[RecurringExpense, list[LedgerTransaction]]:
    """Change a recurring expense; what was posted stays (correct it on its transaction),
    the occurrences still to come follow the new terms."""
    require_admin(actor, recurring.association_id)
    _check(recurring.association, terms)
    with transaction.atomic():
        locked = RecurringExpense.objects.select_for_update().get(pk=recurring.pk)
        before = {name: str(getattr(locked, name)) for name in FIELDS}
        changed = _apply(locked, terms)
        if not changed:
            return locked, []
        locked.save(update_fields=changed)
        _audit(
            "ledger.recurring_changed",
            locked,
            actor.user,
            {name: [before[name], str(getattr(locked, name))] for name in changed},
        )
        posted = post_occurrences_due(locked.association, _today(locked.association), actor.user)
    return locked, posted


def _today(association: Association) -> dt.date:
    return local_today(association.tz)


def _audit(
    action: str, recurring: RecurringExpense, actor: User | None, data: dict[str, Any]
) -> None:
    record_audit(
        action=action,
        actor=actor,
        association=recurring.association,
        target=recurring,
        data={"vehicle": recurring.vehicle_id, **data},
    )


def first_open_day_after_closes(association: Association) -> dt.date | None:
    """The day after the last closed period, or None when no period was ever closed."""
    last = Period.objects.filter(association=association).order_by("-ends_on").first()
    return last.ends_on + dt.timedelta(days=1) if last is not None else None


def post_due_recurring_expenses(
    *, actor: Actor, association: Association, today: dt.date
) -> list[LedgerTransaction]:
    """Post every occurrence due by `today` that is not posted yet (see the module's doc):
    the scheduled job (a SystemActor) or an admin.

    An occurrence the ledger refuses (a car whose owners are not recorded) is logged and
    left for the next run; the others are posted."""
    require_admin(actor, association.pk)
    return post_occurrences_due(association, today, actor.user)


def post_occurrences_due(
    association: Association, today: dt.date, user: User | None
) -> list[LedgerTransaction]:
    """The posting itself, unchecked: for the services that checked their actor already
    (recording an expense, the close)."""
    posted: list[LedgerTransaction] = []
    with transaction.atomic():
        lock_ledger(association)
        open_from = first_open_day_after_closes(association) or dt.date.min
        for recurring, due in _due(association, open_from, today):
            try:
                with transaction.atomic():
                    posted.append(_post_occurrence(recurring, due, user))
            except DomainError as error:
                logger.warning("recurring %s due %s not posted: %s", recurring.pk, due, error.code)
    return posted


def _due(
    association: Association, open_from: dt.date, today: dt.date
) -> Iterator[tuple[RecurringExpense, dt.date]]:
    candidates = (
        RecurringExpense.objects.filter(association=association, starts_on__lte=today)
        .exclude(ends_on__lt=open_from)
        .select_related("vehicle__association", "paid_by", "association")
        .order_by("pk")
    )
    recurring_list = list(candidates)
    done = set(
        RecurringOccurrence.objects.filter(recurring__in=recurring_list).values_list(
            "recurring_id", "due_on"
        )
    )
    for recurring in recurring_list:
        for due in occurrences(recurring, open_from, today):
            if (recurring.pk, due) not in done:
                yield recurring, due


def occurrence_reference(recurring: RecurringExpense, due: dt.date) -> str:
    return f"recurring:{recurring.pk}:{due.isoformat()}"


def _post_occurrence(
    recurring: RecurringExpense, due: dt.date, user: User | None
) -> LedgerTransaction:
    common = {
        "category": recurring.category,
        "amount": recurring.amount,
        "incurred_on": due,
        "paid_by": recurring.paid_by,
        "description": recurring.description,
        "user": user,
        "reference": occurrence_reference(recurring, due),
    }
    if recurring.vehicle is not None:
        txn = book_vehicle_expense(vehicle=recurring.vehicle, **common)
    else:
        txn = book_association_expense(association=recurring.association, **common)
    RecurringOccurrence.objects.create(recurring=recurring, due_on=due, transaction=txn)
    return txn
