"""Hostile callers of the correction pages and services (policies, documents, maintenance
with its ledger entry): a member who owns nothing, another association's admin. Each gets
403/404 and changes nothing: no record, no ledger entry, no audit entry."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from core.errors import ForbiddenError
from ledger.models import LedgerTransaction
from ledger.services import correct_maintenance_with_expense, sync_maintenance_expense
from members.models import AuditEntry, Membership
from tests.factories.ledger import platform, tariffed_vehicle
from tests.factories.members import MembershipFactory
from tests.factories.vehicles import MaintenanceEventFactory, VehicleDocumentFactory
from vehicles.services import correct_insurance_policy, correct_vehicle_document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 11, 26, 11, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def foreign_admin(other_association):
    return MembershipFactory(association=other_association, role=Membership.Role.ADMIN)


@pytest.fixture
def records(association, admin):
    car = tariffed_vehicle(association, owners=[(admin, 100)])
    event = MaintenanceEventFactory(vehicle=car, date=dt.date(2026, 11, 20))
    sync_maintenance_expense(event=event, actor=platform(event))
    return {
        "car": car,
        "policy": car.insurance_policies.get(),
        "document": VehicleDocumentFactory(vehicle=car),
        "event": event,
    }


def urls(records):
    car = records["car"]
    base = f"vehicles/{car.pk}"
    return [
        f"{base}/insurance/{records['policy'].pk}/edit/",
        f"{base}/documents/{records['document'].pk}/edit/",
        f"{base}/maintenance/{records['event'].pk}/edit/",
    ]


def hostile_posts(records):
    """A field of each form, set to a value the test then looks for."""
    return {"policy_number": "HACKED", "cost": "1.00", "kind": "registration"}


def client_of(membership):
    client = Client()
    client.force_login(membership.user)
    return client


def unchanged(records):
    policy, document, event = records["policy"], records["document"], records["event"]
    policy.refresh_from_db()
    document.refresh_from_db()
    event.refresh_from_db()
    assert policy.policy_number != "HACKED"
    assert document.kind == "roadworthiness"
    assert event.cost == Decimal("189.90")
    assert LedgerTransaction.objects.count() == 1
    assert not AuditEntry.objects.filter(action__endswith="_corrected").exists()


def test_a_member_who_owns_nothing_gets_403_and_changes_nothing(member, records):
    client = client_of(member)
    for url in urls(records):
        assert client.get(f"/testville/{url}").status_code == 403
        assert client.post(f"/testville/{url}", hostile_posts(records)).status_code == 403
    unchanged(records)


def test_another_associations_admin_gets_404_here_and_in_their_own_association(
    foreign_admin, records
):
    client = client_of(foreign_admin)
    for url in urls(records):
        for slug in ("testville", "ailleurs"):
            assert client.post(f"/{slug}/{url}", hostile_posts(records)).status_code == 404
    unchanged(records)


def test_the_services_refuse_them_too(member, foreign_admin, records):
    for caller in (member, foreign_admin):
        with pytest.raises(ForbiddenError):
            correct_insurance_policy(
                actor=caller, policy=records["policy"], fields={"policy_number": "HACKED"}
            )
        with pytest.raises(ForbiddenError):
            correct_vehicle_document(
                actor=caller, document=records["document"], fields={"kind": "registration"}
            )
        with pytest.raises(ForbiddenError):
            correct_maintenance_with_expense(
                actor=caller, event=records["event"], fields={"cost": Decimal("1")}
            )
    unchanged(records)


def test_an_event_of_another_car_cannot_be_reached_through_this_car(association, admin, records):
    other_car = tariffed_vehicle(association, owners=[(admin, 100)])
    url = f"/testville/vehicles/{other_car.pk}/maintenance/{records['event'].pk}/edit/"
    assert client_of(admin).post(url, {"cost": "1.00"}).status_code == 404
    unchanged(records)


def test_a_former_admin_cannot_correct(admin, records):
    admin.status = Membership.Status.LEFT
    admin.save(update_fields=["status"])
    with pytest.raises(ForbiddenError):
        correct_maintenance_with_expense(
            actor=admin, event=records["event"], fields={"cost": Decimal("1")}
        )
    unchanged(records)
