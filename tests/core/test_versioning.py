"""A migration that rebuilds a table (as SQLite does for most schema changes) neither fails
on the version triggers nor loses them (core.versioning): on SQLite they are dropped before
`migrate` and made again after it; PostgreSQL keeps them through ALTER TABLE."""

import datetime as dt

import pytest
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import connection

from bookings.models import Booking, Unavailability, VehicleBookingsVersion
from ledger.models import LedgerTransaction, Leg
from ledger.selectors.balances import ledger_version
from ledger.services import post_trip_charge
from members.models import HomeVersion, Membership
from tests.factories.bookings import BookingFactory
from tests.factories.ledger import tariffed_vehicle
from tests.factories.members import MembershipFactory
from tests.ledger.conftest import at
from vehicles.models import InsurancePolicy, Vehicle

pytestmark = pytest.mark.django_db(transaction=True)

# What a migration changing these columns does: on SQLite, each table is rebuilt (a new
# table, a copy, DROP, RENAME); the legs' trigger reads ledger_ledgertransaction, the home
# version's triggers of policies and incidents read vehicles_vehicle.
REBUILT = (
    (LedgerTransaction, "label"),
    (Booking, "note"),
    (Unavailability, "reason"),
    (Vehicle, "name"),
    (Membership, "role"),
)


def _migrate_columns() -> None:
    emit_pre_migrate_signal(0, False, connection.alias)
    with connection.schema_editor() as editor:
        for model, name in REBUILT:
            old = model._meta.get_field(name)
            wider = old.clone()
            wider.max_length = old.max_length + 1
            wider.set_attributes_from_name(name)
            wider.model = model
            editor.alter_field(model, old, wider)
            editor.alter_field(model, wider, old)
    emit_post_migrate_signal(0, False, connection.alias)


def _version(vehicle) -> int:
    row = VehicleBookingsVersion.objects.filter(vehicle=vehicle).first()
    return row.version if row else 0


def test_rebuilt_tables_keep_their_version_triggers(association, admin, member):
    clio = tariffed_vehicle(association, owners=[(admin, 100)], name="Clio")
    txn = post_trip_charge(
        driver=member,
        vehicle=clio,
        km=123,
        started_at=at(2026, 11, 3, 9),
        ended_at=at(2026, 11, 3, 12),
        reference="booking:1",
        actor=member,
    )

    _migrate_columns()

    version = ledger_version(association)
    LedgerTransaction.objects.filter(pk=txn.pk).update(label="after the migration")
    assert ledger_version(association) == version + 1
    Leg.objects.filter(transaction=txn).update(memo="after the migration")
    assert ledger_version(association) > version + 1

    before = _version(clio)
    booking = BookingFactory(vehicle=clio, driver=member)
    assert _version(clio) == before + 1
    start = booking.end + dt.timedelta(days=1)
    Unavailability.objects.create(
        vehicle=clio, created_by=admin, start=start, end=start + dt.timedelta(hours=2)
    )
    assert _version(clio) == before + 2


def _home_version(association) -> int:
    row = HomeVersion.objects.filter(association=association).first()
    return row.version if row else 0


def test_rebuilt_tables_keep_their_home_version_triggers(association, admin):
    clio = tariffed_vehicle(association, owners=[(admin, 100)], name="Clio")

    _migrate_columns()

    before = _home_version(association)
    Vehicle.objects.filter(pk=clio.pk).update(name="Clio II")  # the rebuilt table's own
    assert _home_version(association) == before + 1
    # Another table's trigger, which reads the rebuilt one.
    InsurancePolicy.objects.filter(vehicle=clio).update(insurer="MACIF")
    assert _home_version(association) == before + 2
    MembershipFactory(association=association)
    assert _home_version(association) == before + 3
