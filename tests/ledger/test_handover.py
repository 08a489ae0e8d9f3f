"""One handover form: downloading the agreement marks it printed; the signature, the
deposit (amount, means) and the remarks are recorded in one submission, all or none."""

import datetime as dt
from decimal import Decimal

import pytest

from contracts.models import Agreement
from ledger.models import Deposit
from members.models import AuditEntry
from tests.factories.contracts import AgreementFactory
from tests.factories.ledger import tariffed_vehicle

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(association, member, frozen_today):
    car = tariffed_vehicle(association, owners=[])  # deductible 500 (factory)
    return AgreementFactory(
        vehicle=car,
        driver=member,
        status=Agreement.Status.DRAFT,
        signed_on=None,
        generated_at=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC),
    )


def url(agreement, what="handover"):
    if what == "handover":
        return f"/testville/ledger/handover/{agreement.pk}/"
    return f"/testville/agreements/{agreement.pk}/{what}/"


def test_downloading_the_agreement_marks_it_printed_for_an_admin_only(
    admin_client_, member_client, agreement
):
    assert member_client.get(url(agreement, "pdf")).status_code == 200
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT  # the member reads their copy
    assert admin_client_.get(url(agreement, "pdf")).status_code == 200
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.PRINTED and agreement.printed_at is not None


def test_the_form_is_prefilled_with_today_and_the_deposit_the_rules_ask_for(
    admin_client_, agreement
):
    form = admin_client_.get(url(agreement)).context["form"]
    assert form.initial["signed_on"] == dt.date(2026, 11, 26)
    assert form.initial["deposit_amount"] == Decimal("500.00")
    assert form.initial["deposit_means"] == "cheque"


def test_one_submission_signs_and_records_the_deposit_and_the_remarks(admin_client_, agreement):
    response = admin_client_.post(
        url(agreement),
        {
            "signed_on": "2026-11-26",
            "deposit_amount": "500,00",
            "deposit_means": "cheque",
            "cheque_number": "0012345",
            "bank": "Crédit Agricole",
            "remarks": "Deux clés remises, copie de la carte grise",
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 302
    assert response["Location"] == f"/testville/agreements/{agreement.pk}/"
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    assert agreement.signed_on == dt.date(2026, 11, 26)
    deposit = Deposit.objects.get()
    assert (deposit.amount, deposit.means, deposit.cheque_number) == (
        Decimal("500.00"),
        "cheque",
        "0012345",
    )
    assert deposit.membership == agreement.driver and deposit.vehicle == agreement.vehicle
    entry = AuditEntry.objects.get(action="ledger.handover_recorded")
    assert entry.data["remarks"] == "Deux clés remises, copie de la carte grise"
    assert entry.data["means"] == "cheque"


def test_a_cash_deposit_keeps_no_cheque_number(admin_client_, agreement):
    data = {"signed_on": "2026-11-25", "deposit_amount": "600", "deposit_means": "cash"}
    assert admin_client_.post(url(agreement), {**data, "cheque_number": "99"}).status_code == 302
    deposit = Deposit.objects.get()
    assert deposit.means == "cash" and deposit.cheque_number == ""


def test_a_refused_deposit_leaves_the_agreement_unsigned(admin_client_, agreement):
    data = {"signed_on": "2026-11-26", "deposit_amount": "100", "deposit_means": "transfer"}
    response = admin_client_.post(url(agreement), data, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert "au moins 500,00\u00a0€" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT and agreement.signed_on is None
    assert not Deposit.objects.exists()
    assert not AuditEntry.objects.filter(action="ledger.handover_recorded").exists()


def test_a_future_signature_date_records_no_deposit(admin_client_, agreement):
    data = {"signed_on": "2026-11-27", "deposit_amount": "500", "deposit_means": "cheque"}
    assert admin_client_.post(url(agreement), data).status_code == 400
    assert not Deposit.objects.exists()
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT
