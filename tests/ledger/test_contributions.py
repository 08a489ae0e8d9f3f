import datetime as dt
from decimal import Decimal

import pytest

from core.errors import ConflictError, DomainError
from ledger.models import Deposit, LedgerTransaction
from ledger.services import (
    cash_deposit,
    charge_membership_fee,
    charge_membership_fees,
    fund_account,
    member_account,
    record_deposit,
    record_payment,
    return_deposit,
)
from members.models import Association, Membership
from tests.factories.ledger import platform, tariffed_vehicle
from tests.factories.members import MembershipFactory
from tests.ledger.helpers import assert_ledger_consistent, balance_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def association_with_fee(association):
    association.membership_fee = Decimal("20.00")
    association.save()
    return association


def test_fees_are_charged_once_per_member_and_label(association_with_fee, admin, member):
    MembershipFactory(association=association_with_fee, status=Membership.Status.PENDING)
    first = charge_membership_fees(
        association=association_with_fee,
        label="2026",
        charged_on=dt.date(2026, 11, 2),
        actor=admin,
    )
    again = charge_membership_fees(
        association=association_with_fee,
        label="2026",
        charged_on=dt.date(2026, 11, 3),
        actor=admin,
    )
    assert [t.pk for t in first] == [t.pk for t in again]
    assert len(first) == 2  # the pending member is not charged
    assert balance_of(association_with_fee, member) == Decimal("-20.00")
    assert_ledger_consistent(association_with_fee)


def test_a_fee_charged_again_with_another_amount_is_a_conflict(association_with_fee, member):
    charge_membership_fee(
        membership=member, label="2026", charged_on=dt.date(2026, 11, 2), actor=platform(member)
    )
    with pytest.raises(ConflictError):
        charge_membership_fee(
            membership=member,
            label="2026",
            charged_on=dt.date(2026, 11, 2),
            actor=platform(member),
            amount=Decimal("5"),
        )


def test_paying_the_fee_to_the_fund_settles_it(association_with_fee, member):
    charge_membership_fee(
        membership=member, label="2026", charged_on=dt.date(2026, 11, 2), actor=platform(member)
    )
    record_payment(
        payer=member_account(member),
        payee=fund_account(association_with_fee),
        amount=Decimal("20"),
        method=LedgerTransaction.PaymentMethod.CHEQUE,
        paid_on=dt.date(2026, 11, 3),
        note="chèque 123",
        actor=platform(member_account(member)),
    )
    assert balance_of(association_with_fee, member) == 0


def test_a_payment_to_oneself_is_refused(member):
    with pytest.raises(DomainError):
        record_payment(
            payer=member_account(member),
            payee=member_account(member),
            amount=Decimal("1"),
            method="cash",
            paid_on=dt.date(2026, 11, 3),
            note="",
            actor=platform(member_account(member)),
        )


class TestDeposits:
    def test_a_deposit_at_least_the_deductible_is_held_then_returned(self, association, member):
        car = tariffed_vehicle(association, owners=[])  # deductible 500 (factory)
        with pytest.raises(DomainError) as error:
            record_deposit(
                membership=member,
                amount=Decimal("499"),
                received_on=dt.date(2026, 11, 2),
                cheque_number="1",
                bank="",
                actor=platform(car),
                vehicle=car,
            )
        assert error.value.code == "deposit_too_small"
        deposit = record_deposit(
            membership=member,
            amount=Decimal("500"),
            received_on=dt.date(2026, 11, 2),
            cheque_number="0012345",
            bank="Crédit Agricole",
            actor=platform(car),
            vehicle=car,
        )
        assert deposit.status == Deposit.Status.HELD
        assert not LedgerTransaction.objects.exists()  # a cheque held moves no money
        returned = return_deposit(
            deposit=deposit, returned_on=dt.date(2026, 12, 1), actor=platform(deposit)
        )
        assert returned.status == Deposit.Status.RETURNED
        with pytest.raises(ConflictError):
            cash_deposit(deposit=deposit, cashed_on=dt.date(2026, 12, 2), actor=platform(deposit))

    def test_a_cashed_deposit_is_a_payment_to_the_fund(self, association, member):
        association.deposit_rule = Association.DepositRule.FIXED
        association.deposit_amount = Decimal("300")
        association.save()
        deposit = record_deposit(
            membership=member,
            amount=Decimal("300"),
            received_on=dt.date(2026, 11, 2),
            cheque_number="7",
            bank="",
            actor=platform(member),
        )
        cashed = cash_deposit(
            deposit=deposit, cashed_on=dt.date(2026, 11, 20), actor=platform(deposit)
        )
        assert cashed.status == Deposit.Status.CASHED
        assert cashed.cashed_transaction.kind == LedgerTransaction.Kind.DEPOSIT
        assert balance_of(association, member) == Decimal("300.00")
        assert_ledger_consistent(association)

    def test_an_association_without_deposit_refuses_one(self, association, member):
        association.deposit_rule = Association.DepositRule.NONE
        association.save()
        with pytest.raises(DomainError):
            record_deposit(
                membership=member,
                amount=Decimal("300"),
                received_on=dt.date(2026, 11, 2),
                cheque_number="7",
                bank="",
                actor=platform(member),
            )
