"""Payments from the bank: a French bank's CSV export is read (Windows-1252 or UTF-8, ';',
decimal comma, debit/credit columns or signed amounts), each line matched to a member by
reference, name or amount, previewed, and recorded in one confirmation, never twice."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from core.errors import ConflictError, DomainError
from ledger.bankcsv import StatementError, parse_amount, read_statement
from ledger.models import BankImport, BankLine, LedgerTransaction
from ledger.services import member_account, post_trip_charge
from ledger.services.bank import (
    Candidate,
    confirm_bank_import,
    import_bank_statement,
    match_line,
)
from ledger.services.bank import payment_reference as reference_of
from tests.factories.ledger import tariffed_vehicle
from tests.factories.members import MembershipFactory, UserFactory
from tests.ledger.conftest import at
from tests.ledger.helpers import assert_ledger_consistent, balance_of

pytestmark = pytest.mark.django_db

# A "Crédit Agricole"-like export: preamble lines, Windows-1252, debit and credit columns.
DEBIT_CREDIT = (
    "Compte courant n° 12345678901;;;\r\n"
    "Solde au 30/11/2026;1 234,56 €;;\r\n"
    ";;;\r\n"
    "Date;Libellé;Débit euros;Crédit euros\r\n"
    "03/11/2026;VIR SEPA RECU DE M BRUNO MARTIN ADH-{bruno};;36,90\r\n"
    "05/11/2026;VIREMENT DE MME CAMILLE DURAND;;15,00\r\n"
    "07/11/2026;PRLV ASSURANCE MAIF;120,00;\r\n"
    "09/11/2026;VIR INST DE LEA;;12,30\r\n"
    "xx/11/2026;LIGNE ABIMEE;;1,00\r\n"
)
# A "Banque Populaire"-like export: UTF-8 with a BOM, one signed amount column.
SIGNED = (
    "\ufeffDate opération;Libellé opération;Référence;Montant\n"
    "12/11/2026;VIREMENT M. DURAND CAMILLE;;1 015,00\n"
    "13/11/2026;VIR À MARTIN BRUNO remboursement;ADH{bruno};-20,00\n"
)


@pytest.fixture
def people(association, admin):
    """bruno owes 36.90 (his trips); camille owes 15.00; lea owes 12.30."""
    car = tariffed_vehicle(association, owners=[(admin, 100)], name="Kangoo")
    bruno = MembershipFactory(
        association=association, user=UserFactory(first_name="Bruno", last_name="Martin")
    )
    camille = MembershipFactory(
        association=association, user=UserFactory(first_name="Camille", last_name="Durand")
    )
    lea = MembershipFactory(
        association=association, user=UserFactory(first_name="Léa", last_name="Petit")
    )
    for number, (who, km) in enumerate([(bruno, 123), (camille, 50), (lea, 41)], start=1):
        post_trip_charge(
            driver=who,
            vehicle=car,
            km=km,
            started_at=at(2026, 10, number, 9),
            ended_at=at(2026, 10, number, 12),
            reference=f"booking:{number}",
            actor=who,
        )
    return {"bruno": bruno, "camille": camille, "lea": lea}


def debit_credit_file(people) -> bytes:
    return DEBIT_CREDIT.format(bruno=people["bruno"].pk).encode("cp1252")


class TestReading:
    def test_windows_1252_with_debit_and_credit_columns_after_a_preamble(self):
        statement = read_statement(DEBIT_CREDIT.format(bruno=7).encode("cp1252"))
        assert statement.encoding == "cp1252"
        amounts = [(line.date, line.amount) for line in statement.lines]
        assert amounts == [
            (dt.date(2026, 11, 3), Decimal("36.90")),
            (dt.date(2026, 11, 5), Decimal("15.00")),
            (dt.date(2026, 11, 7), Decimal("-120.00")),
            (dt.date(2026, 11, 9), Decimal("12.30")),
        ]
        assert statement.lines[0].label == "VIR SEPA RECU DE M BRUNO MARTIN ADH-7"
        assert statement.errors == [(9, "date")]

    def test_utf8_with_a_bom_and_signed_amounts(self):
        statement = read_statement(SIGNED.format(bruno=7).encode("utf-8"))
        assert statement.encoding == "utf-8"
        assert [line.amount for line in statement.lines] == [Decimal("1015.00"), Decimal("-20.00")]
        assert statement.lines[1].reference == "ADH7"
        assert statement.lines[1].label == "VIR À MARTIN BRUNO remboursement"

    @pytest.mark.parametrize(
        ("raw", "value"),
        [
            ("1 234,56", "1234.56"),
            ("1\u00a0234,56 €", "1234.56"),
            ("-12,5", "-12.50"),
            ("+20,00 EUR", "20.00"),
            ("1.234,56", "1234.56"),
            ("", None),
        ],
    )
    def test_french_amounts(self, raw, value):
        assert parse_amount(raw) == (Decimal(value) if value else None)

    @pytest.mark.parametrize("raw", ["12,345", "1,234.56", "abc", "12,00,00"])
    def test_amounts_that_are_not_cents_are_refused_not_guessed(self, raw):
        with pytest.raises(ValueError):
            parse_amount(raw)

    def test_a_file_without_a_header_is_refused(self):
        with pytest.raises(StatementError) as refused:
            read_statement(b"hello;world\n1;2\n")
        assert refused.value.code == "no_header"


class TestMatching:
    PEOPLE = [
        Candidate(1, frozenset({"bruno"}), frozenset({"martin"}), Decimal("-36.90")),
        Candidate(2, frozenset({"camille"}), frozenset({"durand"}), Decimal("-15.00")),
        Candidate(3, frozenset({"paul"}), frozenset({"durand"}), Decimal("-8.00")),
        Candidate(4, frozenset({"lea"}), frozenset({"petit"}), Decimal("-12.30")),
    ]

    def test_by_reference_first(self):
        assert match_line("VIR DE PAUL DURAND ADH-1", "", Decimal("5"), self.PEOPLE) == (
            1,
            "reference",
        )

    def test_by_full_name_in_any_order_without_accents(self):
        assert match_line("VIREMENT DURAND CAMILLE", "", Decimal("3"), self.PEOPLE) == (2, "name")

    def test_a_shared_last_name_is_decided_by_the_amount_owed(self):
        assert match_line("VIR MME DURAND", "", Decimal("8.00"), self.PEOPLE) == (3, "amount")

    def test_by_amount_alone_when_one_member_owes_exactly_that(self):
        assert match_line("VIR LEA PETIT", "", Decimal("1.00"), self.PEOPLE) == (4, "name")
        assert match_line("VIR INST", "", Decimal("12.30"), self.PEOPLE) == (4, "amount")

    def test_nothing_decides(self):
        assert match_line("VIR MME DURAND", "", Decimal("99.00"), self.PEOPLE) == (None, "")
        assert match_line("PRLV MAIF", "", Decimal("-120.00"), self.PEOPLE) == (None, "")


class TestImport:
    def test_preview_then_one_confirmation_records_every_payment(self, association, admin, people):
        bank_import = import_bank_statement(
            actor=admin, filename="releve.csv", data=debit_credit_file(people)
        )
        lines = {line.row: line for line in bank_import.lines.all()}
        assert not LedgerTransaction.objects.filter(kind="payment").exists()  # a preview
        assert (lines[5].suggested_id, lines[5].reason) == (people["bruno"].pk, "reference")
        assert (lines[6].suggested_id, lines[6].reason) == (people["camille"].pk, "name")
        assert lines[7].suggested_id is None  # the insurer's direct debit
        assert bank_import.unreadable == [[9, "date"]]
        choices = {line.pk: line.suggested_id for line in lines.values()}
        posted = confirm_bank_import(actor=admin, bank_import=bank_import, choices=choices)
        assert len(posted) == 3
        for name in ("bruno", "camille", "lea"):
            assert balance_of(association, people[name]) == Decimal("0.00")
        assert posted[0].date == dt.date(2026, 11, 3)
        assert posted[0].payment_method == "transfer"
        assert BankLine.objects.get(pk=lines[7].pk).status == BankLine.Status.IGNORED
        assert_ledger_consistent(association)

    def test_an_overlapping_export_never_records_a_line_twice(self, association, admin, people):
        first = import_bank_statement(actor=admin, filename="a.csv", data=debit_credit_file(people))
        confirm_bank_import(
            actor=admin,
            bank_import=first,
            choices={line.pk: line.suggested_id for line in first.lines.all()},
        )
        again = import_bank_statement(actor=admin, filename="b.csv", data=debit_credit_file(people))
        statuses = {line.row: line.status for line in again.lines.all()}
        assert statuses[5] == statuses[6] == statuses[8] == BankLine.Status.DUPLICATE
        assert statuses[7] == BankLine.Status.PENDING  # it was left out, not recorded
        posted = confirm_bank_import(
            actor=admin,
            bank_import=again,
            choices={line.pk: people["lea"].pk for line in again.lines.all()},
        )
        assert len(posted) == 1  # only the line never recorded, as the admin chose
        assert LedgerTransaction.objects.filter(kind="payment").count() == 4

    def test_a_statement_is_confirmed_once(self, admin, people):
        bank_import = import_bank_statement(
            actor=admin, filename="a.csv", data=debit_credit_file(people)
        )
        confirm_bank_import(actor=admin, bank_import=bank_import, choices={})
        with pytest.raises(ConflictError) as twice:
            confirm_bank_import(actor=admin, bank_import=bank_import, choices={})
        assert twice.value.code == "already_confirmed"

    def test_money_paid_out_is_a_payment_from_the_fund(self, association, admin, people):
        data = SIGNED.format(bruno=people["bruno"].pk).encode()
        bank_import = import_bank_statement(actor=admin, filename="bp.csv", data=data)
        line = bank_import.lines.get(row=3)
        assert (line.suggested_id, line.reason) == (people["bruno"].pk, "reference")
        (txn,) = confirm_bank_import(
            actor=admin, bank_import=bank_import, choices={line.pk: people["bruno"].pk}
        )
        legs = {leg.account_id: leg.amount for leg in txn.legs.all()}
        assert legs[member_account(people["bruno"]).pk] == Decimal("-20.00")

    def test_a_bad_file_is_a_clear_error_and_changes_nothing(self, admin):
        with pytest.raises(DomainError) as refused:
            import_bank_statement(actor=admin, filename="x.csv", data=b"\x00\x01;\x02\n")
        assert refused.value.code == "bank_no_header"
        assert not BankImport.objects.exists()

    def test_the_member_sees_their_payment_reference(self, people):
        client = Client()
        client.force_login(people["bruno"].user)
        html = client.get("/testville/ledger/me/").content.decode()
        assert reference_of(people["bruno"]) in html


class TestPages:
    def test_two_submissions_for_the_whole_statement(self, association, admin, people):
        client = Client()
        client.force_login(admin.user)
        upload = client.post(
            "/testville/ledger/bank/",
            {"file": _file("releve.csv", debit_credit_file(people))},
        )
        assert upload.status_code == 302
        bank_import = BankImport.objects.get()
        preview = client.get(upload["Location"]).content.decode()
        assert "3 lignes sur 4 sont rapprochées" in preview
        assert "ligne 9" in preview and "date illisible" in preview  # any space before ":"
        form = {f"line-{line.pk}": str(line.suggested_id or "") for line in bank_import.lines.all()}
        confirmed = client.post(upload["Location"], form)
        assert confirmed.status_code == 302
        assert LedgerTransaction.objects.filter(kind="payment").count() == 3
        for name in ("bruno", "camille", "lea"):
            assert balance_of(association, people[name]) == Decimal("0.00")

    def test_a_file_that_is_not_a_statement_is_a_french_form_error(self, admin):
        client = Client()
        client.force_login(admin.user)
        response = client.post(
            "/testville/ledger/bank/", {"file": _file("photo.csv", b"GIF89a;;\n")}
        )
        assert response.status_code == 400
        assert "une colonne de date" in response.content.decode()
        assert not BankImport.objects.exists()


def _file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")
