"""Spreadsheet formula injection: a member types a formula as their name, an admin opens an
export in a spreadsheet. Every CSV the platform writes neutralises text cells that start
with = + - @, a tab or a carriage return; amounts the code writes stay numbers."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from ledger.models import LedgerTransaction
from ledger.services.accounts import member_account
from ledger.services.contributions import record_payment

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","x")'
HOSTILE = [FORMULA, "+33 6 12 34 56 78", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def cells(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def assert_no_cell_starts_a_formula(rows: list[list[str]], *, except_columns=()) -> None:
    for row in rows:
        for index, cell in enumerate(row):
            if index in except_columns:
                continue
            assert cell[:1] not in {"=", "+", "-", "@", "\t", "\r"}, row


@pytest.fixture
def hostile_member(member):
    user = member.user
    user.first_name, user.last_name, user.phone = FORMULA, "@SUM(A1)", "+33 6 12 34 56 78"
    user.save(update_fields=["first_name", "last_name", "phone"])
    return member


def test_members_export_neutralises_a_formula_in_a_name(admin_client_, hostile_member):
    response = admin_client_.get(f"/{hostile_member.association.slug}/members/export.csv")
    rows = cells(response.content)
    assert_no_cell_starts_a_formula(rows)
    row = next(r for r in rows if r[0] == hostile_member.user.email)
    assert row[1] == "'" + FORMULA  # shown as typed, never evaluated
    assert row[3] == "'+33 6 12 34 56 78"


@pytest.mark.parametrize("typed", HOSTILE, ids=["equals", "plus", "minus", "at", "tab", "cr"])
def test_every_formula_trigger_is_neutralised_in_a_written_export(admin_client_, member, typed):
    member.user.first_name = typed
    member.user.save(update_fields=["first_name"])
    response = admin_client_.get(f"/{member.association.slug}/members/export.csv")
    rows = cells(response.content)
    assert_no_cell_starts_a_formula(rows)
    row = next(r for r in rows if r[0] == member.user.email)
    assert row[1] == "'" + typed  # kept as typed, behind the apostrophe


def _payment(admin, member, note, reference):
    return record_payment(
        payer=member_account(member),
        payee=member_account(admin),
        amount=Decimal("12.50"),
        method=LedgerTransaction.PaymentMethod.CASH,
        paid_on=dt.date(2026, 3, 2),
        note=note,
        reference=reference,
        actor=admin,
    )


def test_ledger_exports_neutralise_text_and_keep_negative_amounts_numeric(
    admin, admin_client_, hostile_member
):
    _payment(admin, hostile_member, note="=1+1", reference="@SUM(1)")
    slug = admin.association.slug
    balances = cells(admin_client_.get(f"/{slug}/ledger/export/balances.csv").content)
    transactions = cells(
        admin_client_.get(f"/{slug}/ledger/export/transactions.csv?period=2026-03").content
    )
    assert_no_cell_starts_a_formula(balances, except_columns=(2,))
    assert_no_cell_starts_a_formula(transactions, except_columns=(8,))
    amounts = {row[2] for row in balances[1:]} | {row[8] for row in transactions[1:]}
    assert {"12,50", "-12,50"} <= amounts  # numbers, as before: no quote before the minus
    assert any(row[0].startswith("'=HYPERLINK") for row in balances[1:])
    assert any("'@SUM(1)" in row for row in transactions[1:])


def test_the_association_and_personal_zips_neutralise_every_csv(
    admin_client_, client, hostile_member
):
    slug = hostile_member.association.slug
    client.force_login(hostile_member.user)
    for response in (admin_client_.get(f"/{slug}/export/"), client.get("/me/export/")):
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        names = [name for name in archive.namelist() if name.endswith(".csv")]
        assert names
        for name in names:
            assert_no_cell_starts_a_formula(cells(archive.read(name)))


def test_no_app_writes_csv_but_through_the_shared_helper():
    """csv.writer / csv.DictWriter appear in core/csvexport.py only (one helper for all)."""
    offenders = []
    for path in Path(django_settings.BASE_DIR).glob("*/**/*.py"):
        if path.parts[len(Path(django_settings.BASE_DIR).parts)] in {
            ".venv",
            ".tools",
            "tests",
            "bench",
            "var",
        }:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in {"writer", "DictWriter"}
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
            ):
                offenders.append(str(path))
    assert set(offenders) <= {str(Path(django_settings.BASE_DIR) / "core" / "csvexport.py")}, (
        offenders
    )
