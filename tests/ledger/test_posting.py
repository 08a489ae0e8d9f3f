import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from core.errors import ConflictError, DomainError
from ledger.models import LedgerTransaction, Leg
from ledger.services import close_period, member_account, record_payment, reverse_transaction
from ledger.services.posting import LegSpec, Posting, net_legs, post
from members.models import AuditEntry
from tests.factories.ledger import platform
from tests.ledger.helpers import assert_ledger_consistent, balance_of

pytestmark = pytest.mark.django_db


def pay(payer, payee, amount="10.00", day=dt.date(2026, 10, 5), actor=None):
    return record_payment(
        payer=member_account(payer),
        payee=member_account(payee),
        amount=Decimal(amount),
        method=LedgerTransaction.PaymentMethod.CASH,
        paid_on=day,
        note="",
        actor=actor or platform(payer),
    )


def test_an_unbalanced_posting_is_refused_and_writes_nothing(association, admin, member):
    posting = Posting(
        kind=LedgerTransaction.Kind.PAYMENT,
        date=dt.date(2026, 11, 2),
        label="",
        amount=Decimal("1.00"),
        legs=[
            LegSpec(member_account(admin), Decimal("1.00")),
            LegSpec(member_account(member), Decimal("-0.99")),
        ],
    )
    with pytest.raises(DomainError) as error:
        post(association=association, posting=posting, actor=None)
    assert error.value.code == "unbalanced"
    assert not LedgerTransaction.objects.exists()


def test_an_account_of_another_association_is_refused(association, admin, outsider):
    posting = Posting(
        kind=LedgerTransaction.Kind.PAYMENT,
        date=dt.date(2026, 11, 2),
        label="",
        amount=Decimal("1.00"),
        legs=[
            LegSpec(member_account(admin), Decimal("1.00")),
            LegSpec(member_account(outsider), Decimal("-1.00")),
        ],
    )
    with pytest.raises(DomainError):
        post(association=association, posting=posting, actor=None)


def test_legs_on_one_account_are_netted_and_zero_legs_dropped(admin, member):
    a, b = member_account(admin), member_account(member)
    legs = net_legs(
        [
            LegSpec(a, Decimal("5")),
            LegSpec(b, Decimal("-5")),
            LegSpec(a, Decimal("-5")),
            LegSpec(b, Decimal("5")),
        ]
    )
    assert legs == []


def test_a_posting_writes_an_audit_entry(association, admin, member):
    txn = pay(member, admin, actor=admin)
    entry = AuditEntry.objects.get(action="ledger.payment_posted")
    assert (entry.target_id, entry.actor, entry.association) == (
        str(txn.pk),
        admin.user,
        association,
    )


def test_a_closed_period_refuses_changes_with_a_clear_french_message(
    association, admin, member, frozen_today
):
    pay(member, admin, day=dt.date(2026, 10, 5))
    close_period(association=association, key="2026-10", actor=admin)
    with translation.override("fr"), pytest.raises(DomainError) as error:
        pay(member, admin, day=dt.date(2026, 10, 20))
    assert error.value.code == "period_closed"
    assert str(error.value.message) == (
        "La période 2026-10 est close : rien de daté du 20/10/2026 ne peut être ajouté ni "
        "modifié. Passez plutôt une correction datée d'aujourd'hui."
    )
    with pytest.raises(DomainError):
        pay(member, admin, day=dt.date(2025, 1, 1))  # before the first closed period, too
    assert LedgerTransaction.objects.count() == 1


def test_a_reversing_entry_cancels_a_closed_periods_posting_today(
    association, admin, member, frozen_today
):
    original = pay(member, admin, amount="36.90", day=dt.date(2026, 10, 5))
    close_period(association=association, key="2026-10", actor=admin)
    mirror = reverse_transaction(entry=original, reason="saisie en double", actor=admin)
    assert mirror.date == dt.date(2026, 11, 26)
    assert mirror.reverses == original
    assert mirror.amount == Decimal("-36.90")
    original.refresh_from_db()
    assert original.is_reversed
    assert balance_of(association, member) == 0
    assert sorted(Leg.objects.filter(transaction=mirror).values_list("amount", flat=True)) == [
        Decimal("-36.90"),
        Decimal("36.90"),
    ]
    assert_ledger_consistent(association)


def test_an_entry_is_reversed_only_once(association, admin, member, frozen_today):
    original = pay(member, admin)
    mirror = reverse_transaction(entry=original, reason="", actor=platform(original))
    with pytest.raises(ConflictError):
        reverse_transaction(entry=original, reason="", actor=platform(original))
    with pytest.raises(DomainError) as error:
        reverse_transaction(entry=mirror, reason="", actor=platform(mirror))
    assert error.value.code == "reversal_of_reversal"
