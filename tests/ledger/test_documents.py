"""The statement PDF, rendered by the contracts document engine."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.services.templates import save_template_version
from ledger.documents import render_statement, statement_document_context
from ledger.periods import parse_period
from ledger.services import member_account, post_fuel_receipt, post_trip_charge, record_payment
from tests.factories.ledger import platform, tariffed_vehicle
from tests.factories.members import MembershipFactory
from tests.ledger.conftest import at
from tests.pdftools import pdf_text

pytestmark = pytest.mark.django_db

NOVEMBER = parse_period("2026-11")


@pytest.fixture
def bruno(association, admin, member):
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
        km=100,
        started_at=at(2026, 10, 20, 9),
        ended_at=at(2026, 10, 20, 10),
        reference="t0",
        actor=platform(clio),
    )  # -30.00 in October
    post_trip_charge(
        driver=bruno,
        vehicle=clio,
        km=123,
        started_at=at(2026, 11, 3, 9),
        ended_at=at(2026, 11, 3, 12),
        reference="t1",
        actor=platform(clio),
    )
    post_fuel_receipt(
        driver=bruno,
        vehicle=clio,
        amount=Decimal("20.00"),
        paid_on=dt.date(2026, 11, 5),
        reference="f1",
        actor=platform(clio),
    )
    record_payment(
        payer=member_account(bruno),
        payee=member_account(camille),
        amount=Decimal("30"),
        method="cash",
        paid_on=dt.date(2026, 11, 6),
        note="",
        actor=platform(member_account(bruno)),
    )
    return bruno


def test_the_document_context_prints_debits_credits_and_the_balance_owed(bruno):
    context = statement_document_context(bruno, NOVEMBER)
    assert context["opening_balance"] == Decimal("30.00")  # Bruno owes 30.00 at the start
    assert [(line["debit"], line["credit"], line["balance"]) for line in context["lines"]] == [
        (Decimal("36.90"), None, Decimal("66.90")),
        (None, Decimal("20.00"), Decimal("46.90")),
        (None, Decimal("30.00"), Decimal("16.90")),
    ]
    assert context["totals"] == {"debit": Decimal("36.90"), "credit": Decimal("50.00")}
    assert context["closing_balance"] == Decimal("16.90")
    assert context["member"]["full_name"] == "Bruno Lefèvre"
    assert context["period"]["start"] == dt.date(2026, 11, 1)


def test_the_statement_pdf_shows_the_member_the_lines_and_the_balances(bruno, tmp_path):
    document = render_statement(bruno, NOVEMBER)
    text = pdf_text(document.pdf, tmp_path)
    assert "Relevé de compte" in text
    assert "Bruno Lefèvre" in text
    assert "Trajet en Clio, 123 km" in text
    assert "36,90" in text and "16,90" in text
    assert document.context["closing_balance"] == Decimal("16.90")


def test_members_and_admins_download_it(association, admin_client_, bruno):
    from django.test import Client

    client = Client()
    client.force_login(bruno.user)
    own = client.get(
        reverse("ledger:my_statement_pdf", kwargs={"slug": association.slug, "period": "2026-11"})
    )
    assert own.status_code == 200
    assert own["Content-Type"] == "application/pdf"
    assert own.content.startswith(b"%PDF")
    assert "releve-2026-11" in own["Content-Disposition"]
    kwargs = {"slug": association.slug, "period": "2026-11", "member_id": bruno.pk}
    assert (
        admin_client_.get(reverse("ledger:member_statement_pdf", kwargs=kwargs)).status_code == 200
    )


def test_an_admin_cannot_print_another_associations_member(association, admin_client_, outsider):
    kwargs = {"slug": association.slug, "period": "2026-11", "member_id": outsider.pk}
    assert (
        admin_client_.get(reverse("ledger:member_statement_pdf", kwargs=kwargs)).status_code == 404
    )


def test_a_template_failing_on_real_data_sends_back_to_the_page_with_the_reason(
    association, admin, admin_client_, bruno
):
    # Fine with the sample (two lines), a division by zero with Bruno's three lines.
    source = "<h1>Relevé</h1>\n{{ 1 / (lines|length - 3) }}\n"
    save_template_version(
        actor=admin, association=association, kind="member_statement", source=source
    )
    kwargs = {"slug": association.slug, "period": "2026-11", "member_id": bruno.pk}
    response = admin_client_.get(reverse("ledger:member_statement_pdf", kwargs=kwargs), follow=True)
    assert response.redirect_chain[0][0] == reverse("ledger:member_statement", kwargs=kwargs)
    assert "Ligne 2" in response.content.decode() or "Line 2" in response.content.decode()


def test_every_members_statement_of_a_period_in_one_pdf(
    association, admin_client_, bruno, tmp_path
):
    url = reverse(
        "ledger:period_statements_pdf", kwargs={"slug": association.slug, "period": "2026-11"}
    )
    response = admin_client_.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "releves-2026-11" in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    # Concerned by November: Bruno (trips, receipt, payment) and Camille (owner, payee).
    assert "Page 2 / 2" in text  # one page each, the second one on a new page
    assert "Bruno Lefèvre" in text and "Camille Roux" in text
    assert text.index("Bruno Lefèvre") < text.index("Camille Roux")  # by last name
    assert "16,90" in text  # Bruno's balance, as on his own statement


def test_a_period_that_concerns_nobody_prints_nothing(association, admin_client_):
    url = reverse(
        "ledger:period_statements_pdf", kwargs={"slug": association.slug, "period": "2026-11"}
    )
    response = admin_client_.get(url, follow=True)
    assert response.redirect_chain[0][0] == reverse(
        "ledger:period", kwargs={"slug": association.slug, "period": "2026-11"}
    )
    assert "rien à imprimer" in response.content.decode()


def test_a_member_cannot_print_everyones_statements(association, member, bruno):
    from django.test import Client

    client = Client()
    client.force_login(member.user)
    url = reverse(
        "ledger:period_statements_pdf", kwargs={"slug": association.slug, "period": "2026-11"}
    )
    assert client.get(url).status_code == 403
