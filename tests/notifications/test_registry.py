"""Each app declares its own kinds and texts; the notifications app knows none of them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template.loader import get_template

from core.notices import Kind
from notifications import registry
from notifications.models import Notification, NotificationPreference
from notifications.registry import get_kind, optional_kinds, register_kinds, registered_kinds

ROOT = Path(__file__).resolve().parents[2]

KINDS_BY_APP = {
    "members": {"licence_expiring", "fee_renewal", "contact_message", "join_requested"},
    "vehicles": {"document_expiring", "probation_ended"},
    "contracts": {"agreements_to_resign"},
    "ledger": {"statement_ready"},
    "bookings": {
        "booking_starts_soon",
        "approval_pending",
        "return_due",
        "return_overdue",
        "trip_not_checked_in",
        "booking_ineligible",
        "booking_without_agreement",
        "slot_free",
        "booking_changed",
        "receipt_pending",
        "receipt_refused",
        "announcement",
        "incident_reported",
        "incident_reply",
        "incident_settled",
        "owner_monthly_summary",
    },
}


def test_each_app_declares_its_own_kinds():
    declared: dict[str, set[str]] = {}
    for kind in registered_kinds():
        declared.setdefault(kind.app, set()).add(kind.code)
    assert declared == KINDS_BY_APP


@pytest.mark.parametrize("kind", registered_kinds(), ids=str)
def test_a_kinds_texts_are_templates_of_its_own_app(kind):
    for name in (kind.subject_template, kind.body_template):
        origin = Path(get_template(name).origin.name).relative_to(ROOT)
        assert origin.parts[:4] == (kind.app, "templates", kind.app, "notifications"), origin


def test_the_notifications_app_has_no_kind_and_no_text_of_another_app():
    folder = ROOT / "notifications" / "templates" / "notifications"
    texts = {path.name for path in folder.rglob("*.txt")}
    assert texts == {"_footer.txt"}
    codes = {kind.code for kind in registered_kinds()}
    for path in (ROOT / "notifications").rglob("*.py"):
        source = path.read_text()
        assert not [code for code in codes if f'"{code}"' in source], path


def test_the_optional_kinds_are_those_people_may_turn_off():
    assert {kind.code for kind in optional_kinds()} == {
        "booking_starts_soon",
        "return_due",
        "probation_ended",
        "statement_ready",
        "fee_renewal",
        "announcement",
        "owner_monthly_summary",
        "booking_changed",
    }


def test_a_code_belongs_to_one_app():
    with pytest.raises(ValueError, match="already bookings'"):
        register_kinds(Kind("ledger", "return_due", "return due"))
    assert get_kind("return_due").app == "bookings"


@pytest.mark.django_db
def test_a_new_kind_needs_no_migration_of_the_notifications_app():
    for model in (Notification, NotificationPreference):
        assert not model._meta.get_field("kind").choices
    register_kinds(Kind("bookings", "waiting_list_for_test", "a place is free"))
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())
    finally:
        registry._kinds.pop("waiting_list_for_test")
