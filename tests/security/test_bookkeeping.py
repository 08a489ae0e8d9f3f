"""The bookkeeping's write paths (recurring expenses, the settings of the automatic close,
settling a period, bank statement imports) refuse a plain member and another association's
admin, and change no data when they refuse."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from core.errors import DomainError
from ledger.models import BankImport, LedgerSettings, LedgerTransaction, RecurringExpense
from ledger.services import member_account, record_payment
from ledger.services.bank import confirm_bank_import, import_bank_statement
from members.models import Membership
from tests.factories.ledger import tariffed_vehicle
from tests.factories.members import MembershipFactory
from tests.ledger.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(at(2026, 11, 26, 12), tick=False):
        yield


@pytest.fixture
def foreign_admin(other_association):
    return MembershipFactory(association=other_association, role=Membership.Role.ADMIN)


def client_of(membership: Membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


@pytest.fixture
def recurring(association, admin):
    car = tariffed_vehicle(association, owners=[(admin, 100)])
    return RecurringExpense.objects.create(
        association=association,
        vehicle=car,
        category=LedgerTransaction.Category.INSURANCE,
        description="Assurance",
        amount=Decimal("40.00"),
        paid_by=member_account(admin),
        frequency=RecurringExpense.Frequency.MONTHLY,
        starts_on=dt.date(2027, 1, 5),
    )


def new_recurring_form(**fields):
    return {
        "vehicle": "",
        "category": "insurance",
        "description": "Assurance de groupe",
        "amount": "99999.99",
        "paid_by": "fund",
        "frequency": "monthly",
        "starts_on": "2020-01-01",
        "ends_on": "",
        **fields,
    }


@pytest.mark.parametrize("who", ["member", "foreign_admin"])
def test_only_the_associations_admins_record_a_recurring_expense(request, association, who):
    caller = request.getfixturevalue(who)
    response = client_of(caller).post("/testville/ledger/recurring/new/", new_recurring_form())
    assert response.status_code == (403 if who == "member" else 404)
    assert not RecurringExpense.objects.exists()
    assert not LedgerTransaction.objects.exists()


@pytest.mark.parametrize("who", ["member", "foreign_admin"])
def test_only_the_associations_admins_change_one(request, recurring, who):
    caller = request.getfixturevalue(who)
    url = f"/testville/ledger/recurring/{recurring.pk}/edit/"
    response = client_of(caller).post(url, new_recurring_form(amount="1.00"))
    assert response.status_code == (403 if who == "member" else 404)
    recurring.refresh_from_db()
    assert recurring.amount == Decimal("40.00")


def test_another_associations_admin_cannot_reach_it_through_their_own_association(
    foreign_admin, recurring
):
    url = f"/ailleurs/ledger/recurring/{recurring.pk}/edit/"
    response = client_of(foreign_admin).post(url, new_recurring_form(amount="1.00"))
    assert response.status_code == 404
    recurring.refresh_from_db()
    assert recurring.amount == Decimal("40.00")


def test_an_admin_cannot_charge_another_associations_car(admin, other_association):
    foreign_car = tariffed_vehicle(other_association)
    response = client_of(admin).post(
        "/testville/ledger/recurring/new/", new_recurring_form(vehicle=str(foreign_car.pk))
    )
    assert response.status_code == 400  # the form again, with the error
    assert "vehicle" in response.context["form"].errors
    assert not RecurringExpense.objects.exists()


def test_an_amount_beyond_the_bounds_is_a_form_error(admin):
    response = client_of(admin).post(
        "/testville/ledger/recurring/new/", new_recurring_form(amount="1000000.00")
    )
    assert response.status_code == 400
    assert "amount" in response.context["form"].errors
    assert not RecurringExpense.objects.exists()


@pytest.mark.parametrize("who", ["member", "foreign_admin"])
def test_only_the_associations_admins_change_the_automatic_close(request, association, who):
    caller = request.getfixturevalue(who)
    response = client_of(caller).post("/testville/ledger/settings/", {"auto_close_days": "0"})
    assert response.status_code == (403 if who == "member" else 404)
    assert not LedgerSettings.objects.exists()


def test_a_number_of_days_out_of_bounds_is_refused(admin):
    response = client_of(admin).post("/testville/ledger/settings/", {"auto_close_days": "100000"})
    assert response.status_code == 400
    assert "auto_close_days" in response.context["form"].errors
    assert not LedgerSettings.objects.exists()


@pytest.mark.parametrize("who", ["member", "foreign_admin"])
def test_only_the_associations_admins_settle_a_period(request, association, admin, who):
    other = MembershipFactory(association=association)
    record_payment(
        payer=member_account(admin),
        payee=member_account(other),
        amount=Decimal("20.00"),
        method="cash",
        paid_on=dt.date(2026, 10, 5),
        note="",
        actor=admin,
    )
    caller = request.getfixturevalue(who)
    response = client_of(caller).post(
        "/testville/ledger/settlement/record-all/",
        {"period": "2026-10", "digest": "x", "method": "transfer", "paid_on": "2026-11-26"},
    )
    assert response.status_code == (403 if who == "member" else 404)
    assert LedgerTransaction.objects.count() == 1


STATEMENT = "Date;Libellé;Montant\n05/11/2026;VIR DE {name};20,00\n"


@pytest.mark.parametrize("who", ["member", "foreign_admin"])
def test_only_the_associations_admins_import_a_bank_statement(request, association, who):
    caller = request.getfixturevalue(who)
    upload = SimpleUploadedFile("releve.csv", STATEMENT.format(name="X").encode())
    response = client_of(caller).post("/testville/ledger/bank/", {"file": upload})
    assert response.status_code == (403 if who == "member" else 404)
    assert not BankImport.objects.exists()


@pytest.fixture
def previewed(association, admin, member):
    member.user.last_name = "Dupuis"
    member.user.save(update_fields=["last_name"])
    return import_bank_statement(
        actor=admin, filename="releve.csv", data=STATEMENT.format(name="DUPUIS").encode()
    )


@pytest.mark.parametrize("who", ["member", "foreign_admin"])
def test_only_the_associations_admins_confirm_one(request, previewed, member, who):
    caller = request.getfixturevalue(who)
    line = previewed.lines.get()
    response = client_of(caller).post(
        f"/testville/ledger/bank/{previewed.pk}/", {f"line-{line.pk}": str(member.pk)}
    )
    assert response.status_code == (403 if who == "member" else 404)
    assert not LedgerTransaction.objects.filter(kind="payment").exists()
    previewed.refresh_from_db()
    assert previewed.status == BankImport.Status.PREVIEW


def test_another_associations_admin_cannot_confirm_it_through_their_own_association(
    previewed, foreign_admin, member
):
    line = previewed.lines.get()
    response = client_of(foreign_admin).post(
        f"/ailleurs/ledger/bank/{previewed.pk}/", {f"line-{line.pk}": str(member.pk)}
    )
    assert response.status_code == 404
    assert not LedgerTransaction.objects.filter(kind="payment").exists()


def test_an_admin_cannot_credit_a_member_of_another_association(admin, previewed, outsider):
    line = previewed.lines.get()
    response = client_of(admin).post(
        f"/testville/ledger/bank/{previewed.pk}/", {f"line-{line.pk}": str(outsider.pk)}
    )
    assert response.status_code == 400
    assert not LedgerTransaction.objects.filter(kind="payment").exists()
    with pytest.raises(DomainError):
        confirm_bank_import(actor=admin, bank_import=previewed, choices={line.pk: outsider.pk})
    assert not LedgerTransaction.objects.filter(kind="payment").exists()


def test_a_huge_or_hostile_file_is_refused_without_a_trace(admin):
    hostile = [
        b"Date;Montant\n" + b"05/11/2026;1,00\n" * 1001,  # too many lines
        b"Date;Montant\n05/11/2026;1000000,00\n",  # beyond the bounds: no line left
        b"Date;Montant\n" + b"x" * (1024 * 1024 + 1),  # too large
    ]
    for data in hostile:
        upload = SimpleUploadedFile("releve.csv", data)
        response = client_of(admin).post("/testville/ledger/bank/", {"file": upload})
        assert response.status_code == 400
    assert not BankImport.objects.exists()
