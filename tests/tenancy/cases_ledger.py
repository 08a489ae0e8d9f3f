"""The ledger's URL patterns. The world's ledger objects: a car owned by the admin, an
expense paid by the member with a receipt (it concerns both), a deposit of the member and a
maintenance event of the car."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from ledger.models import BankImport, BankLine, LedgerTransaction, RecurringExpense
from ledger.services import member_account, post_expense, record_deposit
from tests.factories.ledger import platform, tariffed_vehicle
from tests.tenancy.cases_contracts import agreement
from tests.tenancy.cases_vehicles import MANAGER_PAGE
from tests.tenancy.registry import Access, Case, slug_only
from vehicles.models import MaintenanceEvent

PERIOD = "2026-10"


def _vehicle(world: Any) -> Any:
    return tariffed_vehicle(world.association, owners=[(world.admin, 100)])


def _transaction(world: Any) -> Any:
    return post_expense(
        vehicle=world.ledger_vehicle,
        category=LedgerTransaction.Category.REPAIR,
        amount=Decimal("42.00"),
        incurred_on=dt.date(2026, 10, 5),
        paid_by=member_account(world.member),
        description="",
        actor=platform(world.ledger_vehicle),
        receipt=SimpleUploadedFile("r.pdf", b"%PDF-1.4 receipt", content_type="application/pdf"),
    )


def _deposit(world: Any) -> Any:
    return record_deposit(
        membership=world.member,
        amount=Decimal("500"),
        received_on=dt.date(2026, 10, 1),
        cheque_number="1",
        bank="",
        actor=platform(world.member),
    )


def _maintenance(world: Any) -> Any:
    return MaintenanceEvent.objects.create(
        vehicle=world.ledger_vehicle, date=dt.date(2026, 10, 3), kind="service", cost=Decimal("0")
    )


def _recurring(world: Any) -> Any:
    return RecurringExpense.objects.create(
        association=world.association,
        vehicle=world.ledger_vehicle,
        category=LedgerTransaction.Category.INSURANCE,
        description="Insurance instalment",
        amount=Decimal("40.00"),
        paid_by=member_account(world.admin),
        frequency=RecurringExpense.Frequency.MONTHLY,
        starts_on=dt.date(2026, 10, 5),
    )


def _bank_import(world: Any) -> Any:
    bank_import = BankImport.objects.create(
        association=world.association, filename="releve.csv", encoding="utf-8"
    )
    BankLine.objects.create(
        bank_import=bank_import,
        row=2,
        date=dt.date(2026, 10, 5),
        amount=Decimal("12.00"),
        label="VIR",
        fingerprint="f" * 40,
    )
    return bank_import


BUILDERS = {
    "ledger_vehicle": _vehicle,
    "ledger_transaction": _transaction,
    "ledger_deposit": _deposit,
    "ledger_maintenance": _maintenance,
    "ledger_recurring": _recurring,
    "ledger_bank_import": _bank_import,
}


def _txn(world: Any) -> dict[str, Any]:
    return {"slug": world.association.slug, "pk": world.ledger_transaction.pk}


def _deposit_kwargs(world: Any) -> dict[str, Any]:
    return {"slug": world.association.slug, "pk": world.ledger_deposit.pk}


def _maintenance_kwargs(world: Any) -> dict[str, Any]:
    return {"slug": world.association.slug, "pk": world.ledger_maintenance.pk}


def _maintenance_edit_kwargs(world: Any) -> dict[str, Any]:
    event = world.ledger_maintenance
    return {"slug": world.association.slug, "pk": event.vehicle_id, "event_pk": event.pk}


def _recurring_kwargs(world: Any) -> dict[str, Any]:
    return {"slug": world.association.slug, "pk": world.ledger_recurring.pk}


def _bank_kwargs(world: Any) -> dict[str, Any]:
    return {"slug": world.association.slug, "pk": world.ledger_bank_import.pk}


def _period(world: Any) -> dict[str, Any]:
    return {"slug": world.association.slug, "period": PERIOD}


def _member_statement(world: Any) -> dict[str, Any]:
    return {**_period(world), "member_id": world.member.pk}


GET_POST = ("GET", "POST")

CASES = {
    # a member's own pages
    "ledger:my_account": Case(Access.MEMBER, slug_only),
    "ledger:my_statement": Case(Access.MEMBER, _period),
    "ledger:my_statement_pdf": Case(Access.MEMBER, _period),
    "ledger:receipt": Case(Access.MEMBER, _txn),
    "ledger:no_profit": Case(Access.MEMBER, slug_only),
    # admins
    "ledger:dashboard": Case(Access.ADMIN, slug_only),
    "ledger:transactions": Case(Access.ADMIN, slug_only),
    "ledger:transaction": Case(Access.ADMIN, _txn),
    "ledger:reverse": Case(Access.ADMIN, _txn, methods=("POST",)),
    "ledger:expense_new": Case(Access.ADMIN, slug_only, methods=GET_POST),
    "ledger:maintenance_post": Case(Access.ADMIN, _maintenance_kwargs, methods=("POST",)),
    # the fleet's URL, a page of the ledger: the event and its expense are recorded together
    "ledger:maintenance_add": Case(**MANAGER_PAGE),
    # the fleet's URL, a page of the ledger: the event and its entry are corrected together
    "ledger:maintenance_edit": Case(Access.ADMIN, _maintenance_edit_kwargs, methods=GET_POST),
    "ledger:recurring": Case(Access.ADMIN, slug_only),
    "ledger:recurring_new": Case(Access.ADMIN, slug_only, methods=GET_POST),
    "ledger:recurring_edit": Case(Access.ADMIN, _recurring_kwargs, methods=GET_POST),
    "ledger:settings": Case(Access.ADMIN, slug_only, methods=GET_POST),
    "ledger:bank_import": Case(Access.ADMIN, slug_only, methods=GET_POST),
    "ledger:bank_import_detail": Case(Access.ADMIN, _bank_kwargs, methods=GET_POST),
    "ledger:fees": Case(Access.ADMIN, slug_only, methods=GET_POST),
    "ledger:payment_new": Case(Access.ADMIN, slug_only, methods=GET_POST),
    "ledger:damage_new": Case(Access.ADMIN, slug_only, methods=GET_POST),
    "ledger:deposits": Case(Access.ADMIN, slug_only, methods=GET_POST),
    "ledger:handover": Case(Access.ADMIN, agreement, methods=GET_POST),
    "ledger:deposit_return": Case(Access.ADMIN, _deposit_kwargs, methods=("POST",)),
    "ledger:deposit_cash": Case(Access.ADMIN, _deposit_kwargs, methods=("POST",)),
    "ledger:settlement": Case(Access.ADMIN, slug_only),
    "ledger:settlement_sepa": Case(Access.ADMIN, slug_only),
    "ledger:settlement_record": Case(Access.ADMIN, slug_only, methods=("POST",)),
    "ledger:settlement_record_all": Case(Access.ADMIN, slug_only, methods=("POST",)),
    "ledger:periods": Case(Access.ADMIN, slug_only),
    "ledger:period": Case(Access.ADMIN, _period),
    "ledger:period_close": Case(Access.ADMIN, _period, methods=("POST",)),
    "ledger:period_statements_pdf": Case(Access.ADMIN, _period),
    "ledger:member_statement": Case(Access.ADMIN, _member_statement),
    "ledger:member_statement_pdf": Case(Access.ADMIN, _member_statement),
    "ledger:ademe": Case(Access.ADMIN, slug_only),
    "ledger:export_transactions": Case(Access.ADMIN, slug_only),
    "ledger:export_balances": Case(Access.ADMIN, slug_only),
    # API: a member sees their own figures, admins all
    "api-ledger-balances": Case(Access.MEMBER, slug_only, api=True),
    "api-ledger-settlement": Case(Access.MEMBER, slug_only, api=True),
    "api-ledger-transactions": Case(Access.MEMBER, slug_only, api=True),
}
