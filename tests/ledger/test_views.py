import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape

from ledger.models import Deposit, LedgerTransaction, Period
from ledger.services import member_account, post_expense, post_trip_charge, record_payment
from tests.factories.ledger import platform, tariffed_vehicle
from tests.factories.members import MembershipFactory
from tests.ledger.conftest import at
from tests.ledger.helpers import balance_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def clio(association, admin):
    return tariffed_vehicle(
        association, owners=[(admin, 100)], name="Clio", depreciation_per_km="0.100"
    )


@pytest.fixture
def trip(member, clio):
    return post_trip_charge(
        driver=member,
        vehicle=clio,
        km=123,
        started_at=at(2026, 10, 3, 9),
        ended_at=at(2026, 10, 3, 12),
        reference="booking:1",
        actor=platform(clio),
    )


def page(client, name, association, **kwargs):
    from django.urls import reverse

    return client.get(reverse(f"ledger:{name}", kwargs={"slug": association.slug, **kwargs}))


def post(client, name, association, data=None, **kwargs):
    from django.urls import reverse

    return client.post(
        reverse(f"ledger:{name}", kwargs={"slug": association.slug, **kwargs}), data or {}
    )


def assert_csp_safe(html: str):
    # No inline script: the layout's only script is a same-origin file (the service worker's).
    assert not re.search(r"<script(?![^>]*\ssrc=\"/static/)", html)
    assert not re.search(r"\sstyle=", html)


class TestMemberPages:
    def test_my_account_shows_the_balance_and_who_to_pay(
        self, association, member_client, admin, trip, frozen_today
    ):
        response = page(member_client, "my_account", association)
        html = response.content.decode()
        assert response.status_code == 200
        assert "-36,90" in html
        assert "paie 36,90\u00a0€ à " + escape(admin.user.display_name) in html
        assert_csp_safe(html)

    def test_a_bad_period_in_the_query_falls_back_to_the_current_one(
        self, association, member_client, frozen_today
    ):
        response = member_client.get(f"/{association.slug}/ledger/me/?period=2026-13")
        assert response.status_code == 200
        assert "2026-11" in response.content.decode()

    def test_my_statement_lists_the_trip_with_km_and_the_balances(
        self, association, member_client, trip, frozen_today
    ):
        response = page(member_client, "my_statement", association, period="2026-10")
        html = response.content.decode()
        assert response.status_code == 200
        assert "123" in html and "-36,90" in html
        assert_csp_safe(html)

    def test_an_impossible_period_is_404(self, association, member_client):
        assert (
            member_client.get(f"/{association.slug}/ledger/me/statements/1999-01/").status_code
            == 404
        )
        assert (
            member_client.get(f"/{association.slug}/ledger/me/statements/2026-13/").status_code
            == 404
        )

    def test_receipts_are_for_the_members_concerned_only(
        self, association, admin, member, clio, other_association
    ):
        txn = post_expense(
            vehicle=clio,
            category="repair",
            amount=Decimal("10"),
            incurred_on=dt.date(2026, 10, 1),
            paid_by=member_account(member),
            description="",
            actor=platform(clio),
            receipt=SimpleUploadedFile("r.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
        )
        stranger = MembershipFactory(association=association)
        client = Client()
        client.force_login(stranger.user)
        assert page(client, "receipt", association, pk=txn.pk).status_code == 403
        owner_client = Client()
        owner_client.force_login(member.user)
        response = page(owner_client, "receipt", association, pk=txn.pk)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        other_admin = MembershipFactory(association=other_association, role="admin")
        client.force_login(other_admin.user)
        assert (
            client.get(
                f"/{other_association.slug}/ledger/transactions/{txn.pk}/receipt/"
            ).status_code
            == 404
        )

    def test_the_no_profit_page_shows_a_member_only_the_cars_they_own(
        self, association, member_client, admin_client_, clio, trip
    ):
        assert "Clio" not in page(member_client, "no_profit", association).content.decode()
        html = page(
            admin_client_,
            "no_profit",
            association,
        ).content.decode()
        assert "Clio" in html


class TestAdminPages:
    def test_the_dashboard_draws_inline_svg_charts_with_tables(
        self, association, admin_client_, trip, frozen_today
    ):
        response = page(admin_client_, "dashboard", association)
        html = response.content.decode()
        assert response.status_code == 200
        # three charts, each drawn wide and narrow (ledger/charts.py)
        assert html.count('<svg class="chart chart--wide"') == 3
        assert html.count('<svg class="chart chart--narrow"') == 3
        assert 'role="img"' in html and "<table" in html
        assert "Clio" in html
        assert_csp_safe(html)

    def test_another_associations_transaction_is_404(
        self, association, admin_client_, outsider, other_association
    ):
        other_car = tariffed_vehicle(other_association, owners=[(outsider, 100)])
        txn = post_expense(
            vehicle=other_car,
            category="tax",
            amount=Decimal("10"),
            incurred_on=dt.date(2026, 10, 1),
            paid_by=member_account(outsider),
            description="",
            actor=platform(other_car),
        )
        assert page(admin_client_, "transaction", association, pk=txn.pk).status_code == 404

    def test_recording_an_expense_with_its_receipt(self, association, admin_client_, admin, clio):
        receipt = SimpleUploadedFile(
            "facture.pdf", b"%PDF-1.4 facture", content_type="application/pdf"
        )
        response = post(
            admin_client_,
            "expense_new",
            association,
            {
                "vehicle": clio.pk,
                "category": "insurance",
                "amount": "612,40",
                "incurred_on": "2026-11-02",
                "paid_by": f"member:{admin.pk}",
                "description": "MAIF",
                "receipt": receipt,
            },
        )
        assert response.status_code == 302
        txn = LedgerTransaction.objects.get(kind="expense")
        assert (txn.amount, txn.category, bool(txn.receipt)) == (
            Decimal("612.40"),
            "insurance",
            True,
        )

    def test_an_invalid_expense_changes_nothing(self, association, admin_client_, clio):
        bad = SimpleUploadedFile("x.exe", b"MZ...", content_type="application/octet-stream")
        response = post(
            admin_client_,
            "expense_new",
            association,
            {
                "vehicle": clio.pk,
                "category": "insurance",
                "amount": "-3",
                "incurred_on": "2026-11-02",
                "paid_by": "member:999999",
                "receipt": bad,
            },
        )
        assert response.status_code == 400
        assert not LedgerTransaction.objects.exists()

    def test_an_expense_in_a_closed_period_is_a_form_error(
        self, association, admin_client_, admin, member, clio, frozen_today
    ):
        record_payment(
            payer=member_account(member),
            payee=member_account(admin),
            amount=Decimal("1"),
            method="cash",
            paid_on=dt.date(2026, 10, 1),
            note="",
            actor=platform(member_account(member)),
        )
        post(admin_client_, "period_close", association, period="2026-10")
        response = post(
            admin_client_,
            "expense_new",
            association,
            {
                "vehicle": clio.pk,
                "category": "tax",
                "amount": "10",
                "incurred_on": "2026-10-15",
                "paid_by": "fund",
            },
        )
        assert response.status_code == 400
        assert "2026-10" in response.content.decode()

    def test_reversing_a_transaction(self, association, admin_client_, member, trip, frozen_today):
        response = post(admin_client_, "reverse", association, {"reason": "mauvais km"}, pk=trip.pk)
        assert response.status_code == 302
        assert balance_of(association, member) == 0

    def test_charging_fees_and_recording_a_payment(self, association, admin_client_, admin, member):
        association.membership_fee = Decimal("15")
        association.save()
        assert (
            post(
                admin_client_, "fees", association, {"label": "2026", "charged_on": "2026-11-02"}
            ).status_code
            == 302
        )
        assert balance_of(association, member) == Decimal("-15.00")
        response = post(
            admin_client_,
            "payment_new",
            association,
            {
                "payer": f"member:{member.pk}",
                "payee": "fund",
                "amount": "15",
                "method": "cheque",
                "paid_on": "2026-11-03",
            },
        )
        assert response.status_code == 302
        assert balance_of(association, member) == 0
        same = post(
            admin_client_,
            "payment_new",
            association,
            {
                "payer": "fund",
                "payee": "fund",
                "amount": "1",
                "method": "cash",
                "paid_on": "2026-11-03",
            },
        )
        assert same.status_code == 400

    def test_damage_charge(self, association, admin_client_, member, clio):
        response = post(
            admin_client_,
            "damage_new",
            association,
            {
                "driver": member.pk,
                "vehicle": clio.pk,
                "kind": "deductible",
                "amount": "300",
                "occurred_on": "2026-11-02",
                "description": "Pare-chocs",
            },
        )
        assert response.status_code == 302
        assert balance_of(association, member) == Decimal("-300.00")

    def test_a_deposit_is_recorded_then_cashed(self, association, admin_client_, member):
        response = post(
            admin_client_,
            "deposits",
            association,
            {
                "membership": member.pk,
                "amount": "500",
                "cheque_number": "42",
                "received_on": "2026-11-02",
            },
        )
        assert response.status_code == 302
        deposit = Deposit.objects.get()
        assert (
            post(
                admin_client_, "deposit_cash", association, {"day": "2026-11-20"}, pk=deposit.pk
            ).status_code
            == 302
        )
        deposit.refresh_from_db()
        assert deposit.status == "cashed"
        assert balance_of(association, member) == Decimal("500.00")

    def test_the_settlement_page_records_a_transfer_as_paid(
        self, association, admin_client_, admin, member, trip
    ):
        html = page(admin_client_, "settlement", association).content.decode()
        assert "36,90" in html
        response = post(
            admin_client_,
            "settlement_record",
            association,
            {
                "prefix": "t0",
                "t0-payer": f"member:{member.pk}",
                "t0-payee": f"member:{admin.pk}",
                "t0-amount": "36,90",
                "t0-method": "transfer",
                "t0-paid_on": "2026-11-20",
            },
        )
        assert response.status_code == 302
        assert balance_of(association, member) == 0

    def test_a_period_is_previewed_then_closed(
        self, association, admin_client_, member, trip, frozen_today
    ):
        html = page(admin_client_, "period", association, period="2026-10").content.decode()
        assert "Clôturer 2026-10" in html or "Close 2026-10" in html
        assert post(admin_client_, "period_close", association, period="2026-10").status_code == 302
        assert Period.objects.filter(key="2026-10").exists()
        statement = page(
            admin_client_, "member_statement", association, period="2026-10", member_id=member.pk
        )
        assert statement.status_code == 200

    def test_closing_an_open_period_is_refused_with_a_message(
        self, association, admin_client_, trip, frozen_today
    ):
        response = admin_client_.post(
            f"/{association.slug}/ledger/periods/2026-11/close/", follow=True
        )
        assert response.status_code == 200
        assert not Period.objects.exists()

    def test_the_ademe_page_lists_six_criteria(self, association, admin_client_, trip):
        html = page(admin_client_, "ademe", association).content.decode()
        assert html.count('class="card"') == 6

    def test_csv_exports(self, association, admin_client_, member, trip):
        response = admin_client_.get(
            f"/{association.slug}/ledger/export/transactions.csv?period=2026-10"
        )
        body = response.content.decode("utf-8-sig")
        assert response["Content-Type"].startswith("text/csv")
        lines = body.strip().splitlines()
        assert len(lines) == 3  # header + two legs
        assert lines[1].endswith(";-36,90;") or "-36,90" in lines[1] + lines[2]
        balances = admin_client_.get(
            f"/{association.slug}/ledger/export/balances.csv"
        ).content.decode("utf-8-sig")
        assert member.user.email in balances
