import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from core.errors import DomainError
from ledger.models import LedgerTransaction
from ledger.selectors.expenses import unposted_maintenance
from ledger.services import (
    close_period,
    fund_account,
    member_account,
    post_expense,
    post_unposted_maintenance,
    record_maintenance_with_expense,
    record_payment,
    reverse_transaction,
    sync_maintenance_expense,
)
from ledger.services.expenses import maintenance_reference
from members.models import AuditEntry
from tests.factories.ledger import platform, tariffed_vehicle
from tests.factories.members import MembershipFactory
from tests.factories.vehicles import VehicleOwnershipFactory
from tests.ledger.helpers import assert_ledger_consistent, legs_of
from vehicles.models import MaintenanceEvent, Vehicle

pytestmark = pytest.mark.django_db


@pytest.fixture
def camille(association):
    return MembershipFactory(
        association=association, user__first_name="Camille", user__last_name="Roux"
    )


@pytest.fixture
def bruno(association):
    return MembershipFactory(
        association=association, user__first_name="Bruno", user__last_name="Lefèvre"
    )


def test_insurance_paid_by_one_co_owner_is_shared_by_shares(association, camille, bruno, tmp_path):
    kangoo = tariffed_vehicle(association, owners=[(camille, 50), (bruno, 50)])
    txn = post_expense(
        vehicle=kangoo,
        category=LedgerTransaction.Category.INSURANCE,
        amount=Decimal("601.01"),
        incurred_on=dt.date(2026, 11, 2),
        paid_by=member_account(camille),
        description="MAIF 2027",
        actor=platform(kangoo),
    )
    # Camille paid 601.01 and bears 300.51 (largest remainder, first owner): +300.50.
    assert legs_of(txn) == {"Camille Roux": Decimal("300.50"), "Bruno Lefèvre": Decimal("-300.50")}
    assert txn.paid_by == member_account(camille)
    assert_ledger_consistent(association)


def test_an_expense_of_an_association_car_paid_by_a_member_is_owed_by_the_fund(association, bruno):
    car = tariffed_vehicle(association, owner_kind=Vehicle.OwnerKind.ASSOCIATION)
    txn = post_expense(
        vehicle=car,
        category=LedgerTransaction.Category.TAX,
        amount=Decimal("80"),
        incurred_on=dt.date(2026, 11, 2),
        paid_by=member_account(bruno),
        description="",
        actor=platform(car),
    )
    assert legs_of(txn) == {
        "Bruno Lefèvre": Decimal("80.00"),
        "fund": Decimal("-80.00"),
    }
    assert txn.owner_kind == Vehicle.OwnerKind.ASSOCIATION


def test_a_receipt_is_stored_privately(association, camille):
    from django.core.files.uploadedfile import SimpleUploadedFile

    car = tariffed_vehicle(association, owners=[(camille, 100)])
    receipt = SimpleUploadedFile(
        "facture garage.pdf", b"%PDF-1.4 receipt", content_type="application/pdf"
    )
    txn = post_expense(
        vehicle=car,
        category=LedgerTransaction.Category.REPAIR,
        amount=Decimal("120"),
        incurred_on=dt.date(2026, 11, 2),
        paid_by=fund_account(association),
        description="",
        actor=platform(car),
        receipt=receipt,
    )
    assert txn.receipt.name.startswith("private/ledgertransaction/")
    assert "garage" not in txn.receipt.name


def test_bad_expenses_are_refused(association, camille, outsider):
    car = tariffed_vehicle(association, owners=[(camille, 100)])
    kwargs = {
        "vehicle": car,
        "category": LedgerTransaction.Category.TAX,
        "amount": Decimal("10"),
        "incurred_on": dt.date(2026, 11, 2),
        "paid_by": member_account(camille),
        "description": "",
        "actor": platform(car),
    }
    for change in (
        {"amount": Decimal("0")},
        {"category": "lottery"},
        {"paid_by": member_account(outsider)},
    ):
        with pytest.raises(DomainError):
            post_expense(**{**kwargs, **change})


def test_a_car_with_no_owner_recorded_cannot_take_an_expense(association):
    car = tariffed_vehicle(association, owners=[])
    with pytest.raises(DomainError) as error:
        post_expense(
            vehicle=car,
            category=LedgerTransaction.Category.TAX,
            amount=Decimal("10"),
            incurred_on=dt.date(2026, 11, 2),
            paid_by=fund_account(association),
            description="",
            actor=platform(car),
        )
    assert error.value.code == "no_owner"


class TestMaintenanceEvents:
    """Recording maintenance posts its cost in the same transaction (no signal)."""

    def record(self, admin, vehicle, **fields):
        defaults = {
            "date": dt.date(2026, 11, 2),
            "kind": MaintenanceEvent.Kind.SERVICE,
            "cost": Decimal("150.00"),
        }
        return record_maintenance_with_expense(
            actor=admin, vehicle=vehicle, fields={**defaults, **fields}
        )

    def posted(self, association, event):
        return LedgerTransaction.objects.filter(
            association=association, reference=maintenance_reference(event.pk), is_reversed=False
        )

    def test_a_maintenance_event_is_posted_as_an_expense_paid_by_the_association(
        self, association, admin, camille
    ):
        car = tariffed_vehicle(association, owners=[(camille, 100)])
        event = self.record(admin, car)
        txn = self.posted(association, event).get()
        assert txn.category == LedgerTransaction.Category.MAINTENANCE
        assert legs_of(txn) == {
            "fund": Decimal("150.00"),
            "Camille Roux": Decimal("-150.00"),
        }
        assert AuditEntry.objects.filter(action="vehicle.maintenance_recorded").count() == 1

    def test_paid_by_the_owner_it_is_documented_without_moving_money(
        self, association, admin, camille
    ):
        car = tariffed_vehicle(association, owners=[(camille, 100)])
        event = self.record(
            admin,
            car,
            paid_by=camille,
            kind=MaintenanceEvent.Kind.ROADWORTHINESS,
            cost=Decimal("78"),
        )
        txn = self.posted(association, event).get()
        assert (txn.amount, txn.category) == (Decimal("78.00"), "roadworthiness")
        assert not txn.legs.exists()

    def test_a_changed_event_is_reversed_and_posted_again(
        self, association, admin, camille, frozen_today
    ):
        car = tariffed_vehicle(association, owners=[(camille, 100)])
        event = self.record(admin, car)
        sync_maintenance_expense(event=event, actor=platform(event))  # unchanged: nothing new
        assert LedgerTransaction.objects.count() == 1
        event.cost = Decimal("175.00")
        event.save()
        sync_maintenance_expense(event=event, actor=platform(event))
        assert self.posted(association, event).get().amount == Decimal("175.00")
        assert LedgerTransaction.objects.filter(reverses__isnull=False).count() == 1
        assert_ledger_consistent(association)

    def test_an_event_dated_in_a_closed_period_is_posted_today(
        self, association, admin, camille, frozen_today
    ):
        car = tariffed_vehicle(association, owners=[(camille, 100)])
        record_payment(
            payer=member_account(camille),
            payee=member_account(admin),
            amount=Decimal("1"),
            method="cash",
            paid_on=dt.date(2026, 10, 1),
            note="",
            actor=platform(member_account(camille)),
        )
        close_period(association=association, key="2026-10", actor=platform(association))
        event = self.record(admin, car, date=dt.date(2026, 10, 15))
        assert self.posted(association, event).get().date == dt.date(2026, 11, 26)

    def test_an_event_whose_cost_cannot_be_posted_is_refused_and_nothing_is_saved(
        self, association, admin
    ):
        car = tariffed_vehicle(association, owners=[])
        with pytest.raises(DomainError) as refused:
            self.record(admin, car)
        assert refused.value.code == "no_owner"
        assert not MaintenanceEvent.objects.exists()
        assert not LedgerTransaction.objects.exists()
        assert not AuditEntry.objects.filter(action="vehicle.maintenance_recorded").exists()
        assert not unposted_maintenance(association).exists()  # nothing left to post later

    def legacy_event(self, vehicle, **fields):
        """A row saved before maintenance was posted with its record (the old signal logged
        the refusal of a car without owner and left the cost out)."""
        defaults = {"date": dt.date(2026, 11, 2), "kind": "service", "cost": Decimal("150.00")}
        return MaintenanceEvent.objects.create(vehicle=vehicle, **{**defaults, **fields})

    def test_a_legacy_unposted_event_is_posted_once_from_the_expenses_page(
        self, association, admin, camille, frozen_today
    ):
        car = tariffed_vehicle(association, owners=[])
        legacy = self.legacy_event(car)
        recorded = self.record(admin, tariffed_vehicle(association, owners=[(camille, 100)]))
        assert list(unposted_maintenance(association)) == [legacy]
        client = Client()
        client.force_login(admin.user)
        html = client.get("/testville/ledger/expenses/new/").content.decode()
        assert f"/ledger/maintenance/{legacy.pk}/post/" in html
        assert f"/ledger/maintenance/{recorded.pk}/post/" not in html
        refused = client.post(f"/testville/ledger/maintenance/{legacy.pk}/post/", follow=True)
        (message,) = refused.context["messages"]
        assert (message.level_tag, car.name in message.message) == ("error", True)
        assert not self.posted(association, legacy).exists()
        VehicleOwnershipFactory(vehicle=car, owner=camille, share=Decimal("100"))
        response = client.post(f"/testville/ledger/maintenance/{legacy.pk}/post/")
        assert response.status_code == 302
        assert self.posted(association, legacy).get().amount == Decimal("150.00")
        client.post(f"/testville/ledger/maintenance/{legacy.pk}/post/")  # clicked twice
        assert self.posted(association, legacy).count() == 1
        assert not unposted_maintenance(association).exists()
        assert_ledger_consistent(association)

    def test_a_cancelled_entry_never_offers_to_post_itself_again(
        self, association, admin, camille, frozen_today
    ):
        car = tariffed_vehicle(association, owners=[(camille, 100)])
        typo = self.record(admin, car, cost=Decimal("189.90"))
        never_posted = self.legacy_event(tariffed_vehicle(association, owners=[]))
        reverse_transaction(entry=self.posted(association, typo).get(), reason="typo", actor=admin)
        assert list(unposted_maintenance(association)) == [never_posted]
        client = Client()
        client.force_login(admin.user)
        html = client.get("/testville/ledger/expenses/new/").content.decode()
        assert f"/ledger/maintenance/{never_posted.pk}/post/" in html
        assert f"/ledger/maintenance/{typo.pk}/post/" not in html
        old_button = client.post(f"/testville/ledger/maintenance/{typo.pk}/post/", follow=True)
        (message,) = old_button.context["messages"]
        assert message.level_tag == "error"
        assert not self.posted(association, typo).exists()
        with pytest.raises(DomainError) as refused:
            post_unposted_maintenance(event=typo, actor=admin)  # the service, whatever the path
        assert refused.value.code == "already_posted"
        assert not self.posted(association, typo).exists()
        assert_ledger_consistent(association)

    def test_saving_an_event_alone_posts_nothing_no_signal_does_the_ledgers_work(
        self, association, camille
    ):
        car = tariffed_vehicle(association, owners=[(camille, 100)])
        MaintenanceEvent.objects.create(
            vehicle=car, date=dt.date(2026, 11, 2), kind="service", cost=Decimal("150.00")
        )
        assert not LedgerTransaction.objects.exists()
