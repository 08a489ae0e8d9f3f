"""Correct instead of re-enter: a maintenance event is corrected in place; an amount that
already reached the ledger is reversed and posted again, and both stay in the history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from core.errors import DomainError, ForbiddenError
from ledger.models import LedgerTransaction
from ledger.selectors.expenses import unposted_maintenance
from ledger.services import (
    correct_maintenance_with_expense,
    record_maintenance_with_expense,
    reverse_transaction,
    sync_maintenance_expense,
)
from ledger.services.expenses import maintenance_reference
from members.models import AuditEntry
from tests.factories.ledger import platform, tariffed_vehicle
from tests.factories.members import MembershipFactory
from tests.factories.vehicles import MaintenanceEventFactory, pdf_upload
from tests.ledger.helpers import assert_ledger_consistent, balance_of
from vehicles.models import MaintenanceEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def camille(association):
    return MembershipFactory(
        association=association, user__first_name="Camille", user__last_name="Roux"
    )


@pytest.fixture
def bruno(association):
    return MembershipFactory(
        association=association, user__first_name="Bruno", user__last_name="Lefèvre"
    )


@pytest.fixture
def kangoo(association, bruno):
    return tariffed_vehicle(association, owners=[(bruno, 100)], name="Kangoo")


def posted_event(vehicle, **fields):
    """A maintenance event whose cost reached the ledger."""
    event = MaintenanceEventFactory(vehicle=vehicle, date=dt.date(2026, 11, 20), **fields)
    sync_maintenance_expense(event=event, actor=platform(event))
    return event


def entries_of(event):
    return LedgerTransaction.objects.filter(reference=maintenance_reference(event.pk))


def client_of(membership):
    client = Client()
    client.force_login(membership.user)
    return client


def edit_url(event):
    return f"/testville/vehicles/{event.vehicle_id}/maintenance/{event.pk}/edit/"


def form_data(event, **changes):
    data = {
        "date": event.date.isoformat(),
        "odometer": event.odometer,
        "kind": event.kind,
        "description": event.description,
        "cost": str(event.cost),
        "paid_by": event.paid_by_id or "",
    }
    return {**data, **changes}


def test_a_corrected_amount_leaves_the_balances_right_and_keeps_both_in_the_history(
    association, admin, camille, bruno, kangoo, frozen_today
):
    typo = posted_event(kangoo, cost=Decimal("189.90"), paid_by=camille, description="Vidange")
    assert balance_of(association, camille) == Decimal("189.90")

    response = client_of(admin).post(edit_url(typo), form_data(typo, cost="198.90"))

    assert response.status_code == 302
    typo.refresh_from_db()
    assert typo.cost == Decimal("198.90")
    # Camille paid 198.90 for Bruno's car: the balances say so, once.
    assert balance_of(association, camille) == Decimal("198.90")
    assert balance_of(association, bruno) == Decimal("-198.90")
    assert_ledger_consistent(association)
    # The journal keeps the wrong entry, its reversal (saying why) and the right one.
    wrong, right = entries_of(typo).order_by("pk")
    assert (wrong.amount, wrong.is_reversed, right.amount, right.is_reversed) == (
        Decimal("189.90"),
        True,
        Decimal("198.90"),
        False,
    )
    reversal = LedgerTransaction.objects.get(reverses=wrong)
    assert reversal.amount == Decimal("-189.90")
    assert "189,90" in reversal.label and "198,90" in reversal.label
    # The vehicle's page shows the error and the correction.
    page = client_of(admin).get(f"/testville/vehicles/{kangoo.pk}/").content.decode()
    assert "<del>189,90\u00a0€</del>" in page and "<ins>198,90\u00a0€</ins>" in page
    audit = AuditEntry.objects.get(action="vehicle.maintenance_corrected")
    assert audit.data["changes"] == {"cost": ["189.90", "198.90"]}
    assert audit.actor == admin.user


def test_the_edit_page_comes_filled_with_the_event(admin, kangoo, camille):
    typo = posted_event(kangoo, cost=Decimal("189.90"), paid_by=camille, description="Vidange")
    html = client_of(admin).get(edit_url(typo)).content.decode()
    assert 'value="189.90"' in html or 'value="189,90"' in html
    assert 'value="Vidange"' in html
    assert "<h1>Corriger l&#x27;entretien</h1>" in html


def test_a_correction_outside_the_posted_values_leaves_the_ledger_alone(
    association, admin, kangoo, frozen_today
):
    event = posted_event(kangoo)
    correct_maintenance_with_expense(actor=admin, event=event, fields={"odometer": 84_310})
    assert entries_of(event).count() == 1
    assert not LedgerTransaction.objects.filter(reverses__isnull=False).exists()
    assert AuditEntry.objects.get(action="vehicle.maintenance_corrected").data["changes"] == {
        "odometer": [84_210, 84_310]
    }


def test_an_unchanged_form_changes_nothing(association, admin, kangoo, frozen_today):
    event = posted_event(kangoo)
    correct_maintenance_with_expense(actor=admin, event=event, fields={"cost": event.cost})
    assert entries_of(event).count() == 1
    assert not AuditEntry.objects.filter(action="vehicle.maintenance_corrected").exists()


def test_a_cost_corrected_to_nothing_is_only_reversed(association, admin, kangoo, frozen_today):
    event = posted_event(kangoo)
    correct_maintenance_with_expense(actor=admin, event=event, fields={"cost": Decimal("0")})
    assert not entries_of(event).filter(is_reversed=False).exists()
    assert_ledger_consistent(association)


def test_a_cancelled_entry_is_not_posted_again_by_a_correction(
    association, admin, kangoo, frozen_today
):
    event = posted_event(kangoo)
    reverse_transaction(entry=entries_of(event).get(), reason="doublon", actor=admin)
    correct_maintenance_with_expense(actor=admin, event=event, fields={"cost": Decimal("198.90")})
    event.refresh_from_db()
    assert event.cost == Decimal("198.90")
    assert not entries_of(event).filter(is_reversed=False).exists()
    assert event not in unposted_maintenance(association)


def test_the_owner_corrects_their_car_a_member_cannot(association, bruno, camille, kangoo):
    event = posted_event(kangoo)
    correct_maintenance_with_expense(actor=bruno, event=event, fields={"cost": Decimal("200")})
    with pytest.raises(ForbiddenError):
        correct_maintenance_with_expense(actor=camille, event=event, fields={"cost": Decimal("1")})
    event.refresh_from_db()
    assert event.cost == Decimal("200.00")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"cost": "-5"}, "supérieure ou égale à 0"),
        ({"cost": "abc"}, "Saisissez un nombre"),
        ({"date": "31/02/2026"}, "Saisissez une date valide"),
        ({"kind": "nope"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_is_a_french_form_error_and_changes_nothing(
    association, admin, kangoo, changes, message, frozen_today
):
    event = posted_event(kangoo)
    response = client_of(admin).post(edit_url(event), form_data(event, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    event.refresh_from_db()
    assert event.cost == Decimal("189.90")
    assert entries_of(event).count() == 1
    assert MaintenanceEvent.objects.count() == 1


def test_an_event_recorded_at_no_cost_is_posted_when_its_cost_is_corrected(
    association, admin, kangoo, frozen_today
):
    free = record_maintenance_with_expense(
        actor=admin,
        vehicle=kangoo,
        fields={"date": dt.date(2026, 11, 20), "kind": "service", "cost": Decimal("0")},
    )
    assert not entries_of(free).exists()
    correct_maintenance_with_expense(actor=admin, event=free, fields={"cost": Decimal("75.00")})
    assert entries_of(free).get().amount == Decimal("75.00")
    assert free not in unposted_maintenance(association)  # nothing left for the admins
    assert_ledger_consistent(association)


def test_a_correction_the_ledger_refuses_saves_nothing_not_even_the_new_receipt(
    association, admin, frozen_today
):
    orphan = tariffed_vehicle(association, owners=[])
    legacy = MaintenanceEventFactory(vehicle=orphan, cost=Decimal("0"))  # recorded long ago
    stored_before = stored_receipts()
    with pytest.raises(DomainError) as refused:
        correct_maintenance_with_expense(
            actor=admin,
            event=legacy,
            fields={"cost": Decimal("90.00"), "receipt": pdf_upload("garage.pdf")},
        )
    assert refused.value.code == "no_owner"
    legacy.refresh_from_db()
    assert (legacy.cost, legacy.receipt.name) == (Decimal("0.00"), "")
    assert not entries_of(legacy).exists()
    assert not AuditEntry.objects.filter(action="vehicle.maintenance_corrected").exists()
    assert stored_receipts() == stored_before


def stored_receipts() -> list[str]:
    try:
        return sorted(default_storage.listdir("private/maintenanceevent")[1])
    except FileNotFoundError:  # the local storage never created the folder
        return []
