"""Statements after a period is closed: the members concerned hear that their statement is
final, once, in their language; closing a period queues them at once, the job catches up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from ledger.models import Period
from ledger.scans import scan_statements
from ledger.services import (
    charge_membership_fee,
    close_period,
    member_account,
    record_payment,
)
from notifications.models import Notification, ScanRun
from tests.factories.ledger import platform
from tests.factories.members import MembershipFactory, UserFactory
from tests.notifications.helpers import assert_flat_per_batch, keys_of, paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def at(time_machine):
    def travel(moment: dt.datetime) -> None:
        time_machine.move_to(moment, tick=False)

    return travel


def run():
    return scan_statements(now=timezone.now())


def pay(payer, payee, day, amount="12.50"):
    record_payment(
        payer=member_account(payer),
        payee=member_account(payee),
        amount=Decimal(amount),
        method="cash",
        paid_on=day,
        note="",
        actor=platform(member_account(payer)),
    )


@pytest.fixture
def february(association, admin, member, at):
    """Payments in February 2026 between two members; a third member did nothing."""
    idle = MembershipFactory(association=association)
    at(paris(2026, 2, 10, 12, 0))
    pay(member, admin, dt.date(2026, 2, 10))
    return idle


def test_closing_a_period_tells_the_members_concerned_once(
    february, association, admin, member, at, django_capture_on_commit_callbacks
):
    at(paris(2026, 3, 1, 0, 0))  # the period can be closed from its next day, in Paris
    with django_capture_on_commit_callbacks(execute=True):
        close_period(association=association, key="2026-02", actor=admin)
    # The close queued them in its transaction; no job had to run.
    assert not ScanRun.objects.exists()
    period = Period.objects.get()
    assert keys_of(member.user) == [f"statement_ready:period:{period.pk}:membership:{member.pk}"]
    assert keys_of(admin.user) and not keys_of(february.user)
    to_member = Notification.objects.get(recipient=member.user)
    assert to_member.subject == "Votre relevé du 1er février 2026 au 28 février 2026 est disponible"
    # The member paid the admin: the member is owed, the admin owes.
    assert "l’association vous devait 12,50" in to_member.body
    assert "vous deviez 12,50" in Notification.objects.get(recipient=admin.user).body
    assert to_member.url == "/testville/ledger/me/statements/2026-02/"
    assert run().created == 0


def test_a_member_with_a_balance_but_no_posting_in_the_period_is_told(
    february, association, admin, member, at
):
    at(paris(2026, 4, 1, 9, 0))
    close_period(association=association, key="2026-02", actor=admin)
    close_period(association=association, key="2026-03", actor=admin)
    run()
    march = Period.objects.get(key="2026-03")
    assert f"statement_ready:period:{march.pk}:membership:{member.pk}" in keys_of(member.user)


def test_a_statement_in_english_for_an_english_speaker(association, admin, at):
    english = MembershipFactory(association=association, user=UserFactory(language="en"))
    at(paris(2026, 2, 10, 12, 0))
    pay(admin, english, dt.date(2026, 2, 10))
    at(paris(2026, 3, 2, 9, 0))
    close_period(association=association, key="2026-02", actor=admin)
    run()
    subject = Notification.objects.get(recipient=english.user).subject
    assert subject == "Your statement from 1 February 2026 to 28 February 2026 is ready"


def test_periods_closed_long_ago_are_history(february, association, admin, at):
    at(paris(2026, 3, 2, 9, 0))
    close_period(association=association, key="2026-02", actor=admin)
    at(paris(2026, 3, 10, 9, 0))
    assert run().checked == 0


def test_a_period_closed_on_the_spring_night_is_caught_up_for_seven_real_days(
    february, association, admin, member, at
):
    at(paris(2026, 3, 29, 1, 30))  # closed half an hour before the clocks jump
    close_period(association=association, key="2026-02", actor=admin)
    Notification.objects.all().delete()  # as if the close's statements had been lost
    # Seven days later the clocks say 02:30: the summer hour they skipped.
    at(paris(2026, 4, 5, 2, 30, 1))
    assert run().checked == 0
    at(paris(2026, 4, 5, 2, 30))
    assert run().created == 2  # the member and the admin
    assert run().created == 0


def test_the_statements_job_costs_queries_per_batch_not_per_member(
    association, admin, monkeypatch, at
):
    at(paris(2026, 3, 2, 9, 0))

    def member_owed(index):
        charge_membership_fee(
            membership=MembershipFactory(association=association),
            label="2026",
            charged_on=dt.date(2026, 2, 10),
            actor=platform(MembershipFactory(association=association)),
            amount=Decimal("20.00"),
        )

    def close_then_scan(now):
        # Closed after the rows were posted (a closed period refuses postings).
        Period.objects.get_or_create(
            association=association,
            key="2026-02",
            defaults={"starts_on": dt.date(2026, 2, 1), "ends_on": dt.date(2026, 2, 28)},
        )
        return scan_statements(now=now)

    assert_flat_per_batch(close_then_scan, member_owed, monkeypatch)
