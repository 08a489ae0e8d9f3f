"""Every ledger service checks who acts itself (docs/ARCHITECTURE.md, "Services"); the
pages' admin_required is no longer the only guard. Admin services refuse a member (403
`forbidden`), an admin of another association or its platform (`foreign`) and a suspended
admin (`not_active_member`), writing nothing. The trip postings, called inside the
check-in and the receipt approval, refuse anyone outside the association."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from core.errors import ForbiddenError
from ledger.models import Deposit, LedgerTransaction
from ledger.services import (
    cash_deposit,
    charge_membership_fee,
    charge_membership_fees,
    close_period,
    fund_account,
    member_account,
    post_damage_charge,
    post_expense,
    post_fuel_receipt,
    post_trip_charge,
    post_unposted_maintenance,
    record_deposit,
    record_payment,
    return_deposit,
    reverse_transaction,
    sync_maintenance_expense,
)
from members.models import Association, AuditEntry, Membership
from members.permissions import SystemActor
from tests.factories.ledger import platform, tariffed_vehicle
from tests.factories.members import MembershipFactory
from vehicles.models import MaintenanceEvent

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)
START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def world(association, admin, member):
    association.deposit_rule = Association.DepositRule.FIXED
    association.deposit_amount = Decimal("100.00")
    association.save()
    owner = MembershipFactory(association=association)
    car = tariffed_vehicle(association, owners=[(owner, 100)])
    trip = post_trip_charge(
        actor=admin,
        driver=member,
        vehicle=car,
        km=10,
        started_at=START,
        ended_at=START + dt.timedelta(hours=2),
        reference="booking:1",
    )
    deposit = record_deposit(
        actor=admin, membership=member, amount=Decimal("100"), received_on=DAY,
        cheque_number="123", bank="Banque",
    )  # fmt: skip
    event = MaintenanceEvent.objects.create(
        vehicle=car, date=DAY, kind="service", cost=Decimal("50"), paid_by=owner
    )
    return {"car": car, "owner": owner, "trip": trip, "deposit": deposit, "event": event}


def _admin_calls(world, association, member):
    car, deposit, event = world["car"], world["deposit"], world["event"]
    return {
        "close": lambda a: close_period(actor=a, association=association, key="2026-11"),
        "fee": lambda a: charge_membership_fee(
            actor=a, membership=member, label="2026", charged_on=DAY, amount=Decimal("5")
        ),
        "fees": lambda a: charge_membership_fees(
            actor=a, association=association, label="2026", charged_on=DAY, amount=Decimal("5")
        ),
        "payment": lambda a: record_payment(
            actor=a, payer=member_account(member), payee=fund_account(association),
            amount=Decimal("5"), method="cash", paid_on=DAY, note="",
        ),
        "deposit": lambda a: record_deposit(
            actor=a, membership=member, amount=Decimal("100"), received_on=DAY,
            cheque_number="124", bank="Banque",
        ),
        "return": lambda a: return_deposit(actor=a, deposit=deposit, returned_on=DAY),
        "cash": lambda a: cash_deposit(actor=a, deposit=deposit, cashed_on=DAY),
        "expense": lambda a: post_expense(
            actor=a, vehicle=car, category="insurance", amount=Decimal("80"), incurred_on=DAY,
            paid_by=fund_account(association), description="",
        ),
        "damage": lambda a: post_damage_charge(
            actor=a, driver=member, vehicle=car, kind="damage", amount=Decimal("30"),
            occurred_on=DAY, description="", reference="",
        ),
        "reverse": lambda a: reverse_transaction(actor=a, entry=world["trip"], reason="x"),
        "unposted": lambda a: post_unposted_maintenance(actor=a, event=event),
    }  # fmt: skip


def _snapshot():
    return (
        list(LedgerTransaction.objects.values_list("pk", "is_reversed")),
        list(Deposit.objects.values_list("pk", "status")),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize(
    "service",
    ["close", "fee", "fees", "payment", "deposit", "return", "cash", "expense", "damage",
     "reverse", "unposted"],
)  # fmt: skip
def test_only_an_active_admin_of_the_association_may_call_it(
    service, world, association, member, other_association
):
    call = _admin_calls(world, association, member)[service]
    intruders = {
        "forbidden": member,
        "forbidden_owner": world["owner"],
        "foreign": MembershipFactory(association=other_association, role=Membership.Role.ADMIN),
        "foreign_platform": SystemActor(other_association, "test"),
        "not_active_member": MembershipFactory(
            association=association,
            role=Membership.Role.ADMIN,
            status=Membership.Status.SUSPENDED,
        ),
    }
    before = _snapshot()
    for code, intruder in intruders.items():
        with pytest.raises(ForbiddenError) as refused:
            call(intruder)
        assert refused.value.code == code.split("_owner")[0].split("_platform")[0], code
    assert _snapshot() == before


@pytest.mark.parametrize(
    "service",
    ["close", "fee", "fees", "payment", "deposit", "return", "cash", "expense", "damage",
     "reverse", "unposted"],
)  # fmt: skip
def test_an_admin_and_the_platform_of_the_association_may_call_it(
    service, world, association, admin, member
):
    call = _admin_calls(world, association, member)[service]
    call(admin if service != "unposted" else platform(association))


def test_the_trip_postings_refuse_anyone_outside_the_association(world, member, outsider):
    car = world["car"]
    with pytest.raises(ForbiddenError) as refused:
        post_trip_charge(
            actor=outsider, driver=member, vehicle=car, km=5, started_at=START,
            ended_at=START + dt.timedelta(hours=1), reference="booking:2",
        )  # fmt: skip
    assert refused.value.code == "foreign"
    with pytest.raises(ForbiddenError):
        post_fuel_receipt(
            actor=outsider, driver=member, vehicle=car, amount=Decimal("20"), paid_on=DAY,
            reference="fuel:1",
        )  # fmt: skip
    assert not LedgerTransaction.objects.filter(reference__in=["booking:2", "fuel:1"]).exists()


def test_maintenance_is_posted_by_the_vehicle_s_owner_but_not_by_another_member(world, member):
    event = world["event"]
    with pytest.raises(ForbiddenError) as refused:
        sync_maintenance_expense(actor=member, event=event)
    assert refused.value.code == "forbidden"
    txn = sync_maintenance_expense(actor=world["owner"], event=event)
    assert txn is not None and txn.amount == Decimal("50.00")
