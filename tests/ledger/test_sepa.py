"""The payouts the association owes for a period, as a SEPA credit-transfer file
(pain.001.001.03): valid against sepaxml's schema, to the cent of the settlement plan,
members without an IBAN listed as left out with the reason."""

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml
import xmlschema
from django.test import Client

from core.errors import DomainError
from ledger.models import LedgerTransaction
from ledger.periods import parse_period
from ledger.selectors.balances import period_settlement
from ledger.selectors.payouts import association_payouts
from ledger.services import member_account
from ledger.services.expenses import post_association_expense
from ledger.services.sepa import credit_transfer_file
from members.models import AuditEntry
from tests.factories.ledger import platform
from tests.factories.members import MembershipFactory

pytestmark = pytest.mark.django_db
OCTOBER = parse_period("2026-10")
SCHEMA = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


@pytest.fixture
def people(association, frozen_today):
    """October: Camille paid the group insurance, Bruno the parking, Dora a lock; the
    association's fund owes them. Camille and Bruno recorded an IBAN, Dora did not."""
    association.iban = "FR7630001007941234567890185"
    association.save(update_fields=["iban"])
    camille = MembershipFactory(
        association=association,
        user__first_name="Camille",
        user__last_name="Roux",
        user__iban="FR7630006000011234567890189",
    )
    bruno = MembershipFactory(
        association=association,
        user__first_name="Bruno",
        user__last_name="Lefèvre",
        user__iban="DE89370400440532013000",
    )
    dora = MembershipFactory(association=association, user__first_name="Dora", user__iban="")
    for who, amount in ((camille, "120.37"), (bruno, "45.10"), (dora, "10.00")):
        post_association_expense(
            association=association,
            category=LedgerTransaction.Category.INSURANCE,
            amount=Decimal(amount),
            incurred_on=dt.date(2026, 10, 12),
            paid_by=member_account(who),
            description="avance",
            actor=platform(association),
        )
    return {"camille": camille, "bruno": bruno, "dora": dora}


def transactions_of(xml):
    root = ET.fromstring(xml)  # noqa: S314 - the file the test itself just built
    return {
        tx.find("p:CdtrAcct/p:Id/p:IBAN", NS).text: Decimal(tx.find("p:Amt/p:InstdAmt", NS).text)
        for tx in root.iter(f"{{{NS['p']}}}CdtTrfTxInf")
    }, root


def test_the_file_validates_against_the_schema_and_matches_the_plan_to_the_cent(
    association, admin, people
):
    xml, batch = credit_transfer_file(
        actor=admin, key="2026-10", execution_date=dt.date(2026, 11, 26)
    )
    xmlschema.XMLSchema(str(SCHEMA)).validate(xml.decode())  # raises when invalid
    amounts, root = transactions_of(xml)
    plan = {
        t.payee.membership_id: t.amount
        for t in period_settlement(association, OCTOBER)
        if t.payer.kind == "fund"
    }
    assert amounts == {
        "FR7630006000011234567890189": plan[people["camille"].pk],
        "DE89370400440532013000": plan[people["bruno"].pk],
    }
    assert amounts["FR7630006000011234567890189"] == Decimal("120.37")
    assert root.find("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", NS).text == "165.47"
    assert root.find("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", NS).text == "2"
    debtor = root.find("p:CstmrCdtTrfInitn/p:PmtInf/p:DbtrAcct/p:Id/p:IBAN", NS).text
    assert debtor == "FR7630001007941234567890185"
    assert root.find("p:CstmrCdtTrfInitn/p:PmtInf/p:ReqdExctnDt", NS).text == "2026-11-26"
    # Dora has no IBAN: she is left out, with the reason.
    assert [(item.transfer.payee.membership_id, item.code) for item in batch.left_out] == [
        (people["dora"].pk, "no_iban")
    ]
    audit = AuditEntry.objects.get(action="ledger.sepa_file_exported")
    assert audit.data == {"period": "2026-10", "payouts": 2, "total": "165.47", "left_out": 1}


def test_the_settlement_page_offers_the_file_and_names_who_is_left_out(admin, people):
    client = Client()
    client.force_login(admin.user)
    page = client.get("/testville/ledger/settlement/?period=2026-10").content.decode()
    assert "/testville/ledger/settlement/sepa/?period=2026-10" in page
    assert "2 virements, 165,47" in page
    assert "Dora" in page and "aucun IBAN enregistré" in page
    assert "FR76 •••• •••• •••• •••• •••• 189" in page
    assert "FR7630006000011234567890189" not in page

    response = client.get("/testville/ledger/settlement/sepa/?period=2026-10")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert "virements-testville-2026-10.xml" in response["Content-Disposition"]
    assert transactions_of(response.content)[0]["DE89370400440532013000"] == Decimal("45.10")


def test_without_the_associations_iban_the_page_says_where_to_record_it(association, admin, people):
    association.iban = ""
    association.save(update_fields=["iban"])
    with pytest.raises(DomainError) as refused:
        credit_transfer_file(actor=admin, key="2026-10", execution_date=dt.date(2026, 11, 26))
    assert refused.value.code == "association_iban_missing"
    client = Client()
    client.force_login(admin.user)
    response = client.get("/testville/ledger/settlement/sepa/?period=2026-10", follow=True)
    assert "Enregistrez d&#x27;abord l&#x27;IBAN de l&#x27;association" in (
        response.content.decode()
    )


def test_nothing_owed_is_refused_not_an_empty_file(association, admin, people):
    with pytest.raises(DomainError) as refused:
        credit_transfer_file(actor=admin, key="2026-09", execution_date=dt.date(2026, 11, 26))
    assert refused.value.code == "no_payouts"


@pytest.mark.parametrize("key", ["", "2026-13", "nonsense", "2026-10'--"])
def test_a_bad_period_is_a_message_not_a_500(admin, people, key):
    client = Client()
    client.force_login(admin.user)
    response = client.get("/testville/ledger/settlement/sepa/", {"period": key})
    assert response.status_code == 302


def test_only_payouts_of_the_fund_go_in_the_file(association, admin, people):
    batch = association_payouts(association, OCTOBER)
    assert {p.transfer.payer.kind for p in batch.payouts} == {"fund"}
    assert batch.total == Decimal("165.47")
