"""Demo postings on the cars of villerouge (seeded by vehicles/demo.py): the maintenance the
fleet's demo recorded, a fuel receipt, an expense, the year's fees and a payment. The trips
and their charges come from the logbook (bookings/demo.py), so that the accounts and the
logbook agree, as the annual report checks. Idempotent: each posting has a demo reference
and is skipped when it exists; a missing car or member is skipped with a note."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from core.errors import DomainError
from core.timeutils import local_today
from ledger.models import LedgerTransaction
from ledger.selectors.expenses import unposted_maintenance
from ledger.services import (
    charge_membership_fees,
    fund_account,
    member_account,
    post_expense,
    post_fuel_receipt,
    post_unposted_maintenance,
    record_payment,
)
from members.models import Association, Membership
from members.permissions import SystemActor
from vehicles.models import Vehicle

Log = Callable[[str], None]


def seed(log: Log) -> None:
    _maintenance(log)
    association = Association.objects.filter(slug="villerouge").first()
    if association is None:
        log("ledger: no villerouge association, nothing to post")
        return
    people = _people(association)
    cars = {v.name: v for v in Vehicle.objects.filter(association=association)}
    today = local_today(association.tz)
    for reference, post in _postings(association, people, cars, today):
        _once(association, reference, post, log)
    if association.membership_fee > 0:
        charge_membership_fees(
            actor=_platform(association),
            association=association,
            label=str(today.year),
            charged_on=today,
        )


def _platform(association: Association) -> SystemActor:
    """The demo seed writes as the platform (no person in the audit trail)."""
    return SystemActor(association, "demo")


def _maintenance(log: Log) -> None:
    """The fleet's demo writes maintenance rows directly (as recorded before maintenance was
    posted with its record): post those that never reached the ledger, once."""
    for association in Association.objects.filter(vehicles__maintenance__cost__gt=0).distinct():
        for event in unposted_maintenance(association).order_by("pk"):
            try:
                post_unposted_maintenance(actor=_platform(association), event=event)
            except DomainError as error:
                log(f"ledger: maintenance {event.pk} not posted ({error.code})")


def _people(association: Association) -> dict[str, Membership]:
    members = Membership.objects.filter(
        association=association, status=Membership.Status.ACTIVE
    ).select_related("user")
    return {m.user.email.split("@")[0]: m for m in members}


def _once(association: Association, reference: str, post: Callable[[], Any], log: Log) -> None:
    if LedgerTransaction.objects.filter(association=association, reference=reference).exists():
        return
    try:
        post()
    except (DomainError, KeyError) as error:  # a car or a person the other demos lack
        log(f"ledger: skipped {reference} ({getattr(error, 'code', error)})")
        return
    log(f"ledger: posted {reference}")


def _postings(
    association: Association,
    people: dict[str, Membership],
    cars: dict[str, Vehicle],
    today: dt.date,
) -> list[tuple[str, Callable[[], Any]]]:
    return [
        ("demo:fuel-clio-bruno", lambda: _fuel(people, cars, today)),
        ("demo:insurance-kangoo", lambda: _insurance(people, cars, today)),
        ("demo:payment-lea", lambda: _payment(association, people, today)),
    ]


def _fuel(people: dict[str, Membership], cars: dict[str, Vehicle], today: dt.date) -> Any:
    return post_fuel_receipt(
        driver=people["bruno"],
        vehicle=cars["Clio"],
        amount=Decimal("32.40"),
        paid_on=today - dt.timedelta(days=20),
        reference="demo:fuel-clio-bruno",
        actor=_platform(cars["Clio"].association),
    )


def _insurance(people: dict[str, Membership], cars: dict[str, Vehicle], today: dt.date) -> Any:
    return post_expense(
        vehicle=cars["Kangoo"],
        category=LedgerTransaction.Category.INSURANCE,
        amount=Decimal("486.00"),
        incurred_on=today - dt.timedelta(days=15),
        paid_by=member_account(people["bruno"]),
        description="Assurance annuelle",
        actor=_platform(cars["Kangoo"].association),
        reference="demo:insurance-kangoo",
    )


def _payment(association: Association, people: dict[str, Membership], today: dt.date) -> Any:
    return record_payment(
        payer=member_account(people["lea"]),
        payee=fund_account(association),
        amount=Decimal("10.00"),
        method=LedgerTransaction.PaymentMethod.CASH,
        paid_on=today - dt.timedelta(days=3),
        note="Acompte",
        actor=_platform(association),
        reference="demo:payment-lea",
    )
