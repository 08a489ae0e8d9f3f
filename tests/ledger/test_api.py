import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from ledger.services import member_account, post_trip_charge, record_payment
from tests.factories.ledger import platform, tariffed_vehicle
from tests.factories.members import MembershipFactory
from tests.ledger.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(association, admin, member):
    camille = MembershipFactory(
        association=association, user__first_name="Camille", user__last_name="Roux"
    )
    bruno = MembershipFactory(
        association=association, user__first_name="Bruno", user__last_name="Lefèvre"
    )
    clio = tariffed_vehicle(association, owners=[(camille, 100)], name="Clio")
    post_trip_charge(
        driver=bruno,
        vehicle=clio,
        km=123,
        started_at=at(2026, 11, 3, 9),
        ended_at=at(2026, 11, 3, 12),
        reference="booking:1",
        actor=platform(clio),
    )
    record_payment(
        payer=member_account(member),
        payee=member_account(admin),
        amount=Decimal("5"),
        method="cash",
        paid_on=dt.date(2026, 11, 4),
        note="",
        actor=platform(member_account(member)),
    )
    return camille, bruno


def client_for(membership):
    client = APIClient()
    client.force_authenticate(membership.user)
    return client


def url(association, what):
    return f"/api/v1/associations/{association.slug}/ledger/{what}/"


def test_admins_see_every_balance_as_decimal_strings_summing_to_zero(association, admin, people):
    response = client_for(admin).get(url(association, "balances"))
    assert response.status_code == 200
    rows = {row["member"]: row for row in response.json()}
    assert rows["Bruno Lefèvre"] == {
        "member": "Bruno Lefèvre",
        "email": people[1].user.email,
        "balance": "-36.90",
    }
    assert rows["Camille Roux"]["balance"] == "36.90"
    assert sum(Decimal(row["balance"]) for row in rows.values()) == 0
    assert set(next(iter(rows.values()))) == {"member", "email", "balance"}


def test_a_member_sees_only_their_own_balance(association, people):
    _camille, bruno = people
    response = client_for(bruno).get(url(association, "balances"))
    assert response.json() == [
        {"member": "Bruno Lefèvre", "email": bruno.user.email, "balance": "-36.90"}
    ]


def test_the_settlement_says_who_pays_whom(association, admin, member, people):
    _camille, bruno = people
    plan = client_for(admin).get(url(association, "settlement")).json()
    assert {"from": "Bruno Lefèvre", "to": "Camille Roux", "amount": "36.90"} in plan
    assert len(plan) == 2
    assert client_for(bruno).get(url(association, "settlement")).json() == [
        {"from": "Bruno Lefèvre", "to": "Camille Roux", "amount": "36.90"}
    ]


def test_transactions_of_a_month_or_a_quarter(association, admin, people):
    client = client_for(admin)
    month = client.get(url(association, "transactions"), {"period": "2026-11"}).json()
    quarter = client.get(url(association, "transactions"), {"period": "2026-Q4"}).json()
    assert [t["id"] for t in month] == [t["id"] for t in quarter]
    trip = month[0]
    assert (trip["kind"], trip["km"], trip["amount"], trip["reference"]) == (
        "trip",
        123,
        "36.90",
        "booking:1",
    )
    assert {leg["amount"] for leg in trip["legs"]} == {"-36.90", "36.90"}
    assert client.get(url(association, "transactions"), {"period": "2026-10"}).json() == []


@pytest.mark.parametrize("period", ["2026-13", "2026-Q5", "novembre", "1999-01", "2026-11-01"])
def test_a_bad_period_is_a_400(association, admin, period):
    response = client_for(admin).get(url(association, "transactions"), {"period": period})
    assert response.status_code == 400
    assert response.json()["code"] == "bad_period"


def test_a_member_sees_only_the_transactions_that_concern_them_and_their_own_legs(
    association, people
):
    camille, _bruno = people
    rows = client_for(camille).get(url(association, "transactions"), {"period": "2026-11"}).json()
    assert len(rows) == 1
    assert rows[0]["legs"] == [
        {"party": "Camille Roux", "email": camille.user.email, "amount": "36.90"}
    ]


def test_another_association_is_404(association, outsider, people):
    for what in ("balances", "settlement", "transactions"):
        assert client_for(outsider).get(url(association, what)).status_code == 404


def test_the_transactions_endpoint_runs_as_many_queries_for_many_transactions(
    association, admin, member
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ledger.services import commune_account

    client = client_for(admin)

    def pay(n):
        for _ in range(n):
            record_payment(
                payer=member_account(member),
                payee=commune_account(association),
                amount=Decimal("1"),
                method="cash",
                paid_on=dt.date(2026, 11, 4),
                note="",
                actor=platform(member_account(member)),
            )

    pay(1)
    with CaptureQueriesContext(connection) as few:
        client.get(url(association, "transactions"), {"period": "2026-11"})
    pay(20)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url(association, "transactions"), {"period": "2026-11"})
    assert len(response.json()) == 21
    assert len(many) == len(few)
