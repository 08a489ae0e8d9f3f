"""On PostgreSQL a deferred constraint trigger refuses to commit unbalanced legs, whoever
writes them (the posting service checks the same on every database)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from ledger.models import LedgerTransaction, Leg
from ledger.services import member_account, record_payment
from tests.conftest import require_postgresql
from tests.factories.ledger import platform

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql():
    require_postgresql("the balance trigger")


def unbalanced(association, account):
    txn = LedgerTransaction.objects.create(
        association=association, kind=LedgerTransaction.Kind.PAYMENT, date=dt.date(2026, 11, 2)
    )
    Leg.objects.create(transaction=txn, account=account, amount=Decimal("1.00"))
    return txn


def test_unbalanced_legs_written_around_the_service_are_refused_at_commit(association, member):
    account = member_account(member)
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        unbalanced(association, account)
        # the trigger is deferred: inside the transaction the row is accepted...
        assert Leg.objects.filter(account=account).count() == 1
    # ...and the commit refused it all
    assert not LedgerTransaction.objects.exists()


def test_legs_may_be_unbalanced_until_the_commit(association, admin, member):
    with transaction.atomic():
        txn = unbalanced(association, member_account(member))
        Leg.objects.create(transaction=txn, account=member_account(admin), amount=Decimal("-1.00"))
    assert Leg.objects.count() == 2


def test_changing_or_deleting_one_leg_of_a_posted_transaction_is_refused(
    association, admin, member
):
    txn = record_payment(
        payer=member_account(member),
        payee=member_account(admin),
        amount=Decimal("36.90"),
        method="cash",
        paid_on=dt.date(2026, 11, 2),
        note="",
        actor=platform(member_account(member)),
    )
    leg = txn.legs.first()
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        Leg.objects.filter(pk=leg.pk).update(amount=Decimal("1.00"))
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        Leg.objects.filter(pk=leg.pk).delete()
    assert sorted(txn.legs.values_list("amount", flat=True)) == [
        Decimal("-36.90"),
        Decimal("36.90"),
    ]


def test_a_whole_transaction_may_be_deleted_with_its_legs(association, admin, member):
    # Deleting an association cascades to its transactions: the legs go together.
    txn = record_payment(
        payer=member_account(member),
        payee=member_account(admin),
        amount=Decimal("5"),
        method="cash",
        paid_on=dt.date(2026, 11, 2),
        note="",
        actor=platform(member_account(member)),
    )
    with transaction.atomic():
        txn.delete()
    assert not Leg.objects.exists()
