"""PostgreSQL-only database objects, created by migrations that SQLite skips.

The exclusion constraint cannot live in `Booking.Meta.constraints`: SQLite has no
`EXCLUDE`, and the migrations must run on both databases. Migration 0002 adds it through
`PostgresOnly`, which leaves the model state alone (so `makemigrations` stays quiet).
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.db import models
from django.db.migrations.operations.base import Operation
from django.db.models import Q

NO_OVERLAP_CONSTRAINT = "booking_no_overlap"
BLOCKING_STATUSES = ("requested", "confirmed", "in_progress")


class TsTzRange(models.Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


def no_overlap_constraint() -> ExclusionConstraint:
    """Same vehicle, overlapping [start, blocks_until), blocking statuses only."""
    return ExclusionConstraint(
        name=NO_OVERLAP_CONSTRAINT,
        expressions=[
            ("vehicle", RangeOperators.EQUAL),
            (TsTzRange("start", "blocks_until", RangeBoundary()), RangeOperators.OVERLAPS),
        ],
        condition=Q(status__in=BLOCKING_STATUSES),
    )


class PostgresOnly(Operation):
    """Run the wrapped operation's database part on PostgreSQL only; no state change."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, operation: Operation) -> None:
        self.operation = operation

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return self.__class__.__qualname__, [self.operation], {}

    def state_forwards(self, app_label: str, state: Any) -> None:
        return None

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"On PostgreSQL only: {self.operation.describe()}"


# The version counter of a vehicle's bookings (bookings.models.VehicleBookingsVersion),
# increased by triggers on every INSERT, UPDATE and DELETE of a booking, whoever writes.
# A booking moved to another vehicle bumps both, the lower vehicle id first (a fixed order,
# so that two such moves cannot wait for each other).
_UPSERT = (
    "INSERT INTO bookings_vehiclebookingsversion (vehicle_id, version) VALUES ({vehicle}, 1) "
    "ON CONFLICT (vehicle_id) DO UPDATE SET version = bookings_vehiclebookingsversion.version + 1"
)

POSTGRES_VERSION_TRIGGER = f"""
CREATE OR REPLACE FUNCTION bookings_bump_vehicle_version() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {_UPSERT.format(vehicle="NEW.vehicle_id")};
  ELSIF TG_OP = 'DELETE' THEN
    {_UPSERT.format(vehicle="OLD.vehicle_id")};
  ELSE
    {_UPSERT.format(vehicle="LEAST(OLD.vehicle_id, NEW.vehicle_id)")};
    IF NEW.vehicle_id <> OLD.vehicle_id THEN
      {_UPSERT.format(vehicle="GREATEST(OLD.vehicle_id, NEW.vehicle_id)")};
    END IF;
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER bookings_booking_bump_version
  AFTER INSERT OR UPDATE OR DELETE ON bookings_booking
  FOR EACH ROW EXECUTE FUNCTION bookings_bump_vehicle_version();
"""
POSTGRES_VERSION_TRIGGER_DROP = """
DROP TRIGGER IF EXISTS bookings_booking_bump_version ON bookings_booking;
DROP FUNCTION IF EXISTS bookings_bump_vehicle_version();
"""

SQLITE_VERSION_TRIGGERS = [
    f"""CREATE TRIGGER bookings_booking_version_insert AFTER INSERT ON bookings_booking
BEGIN {_UPSERT.format(vehicle="NEW.vehicle_id")}; END""",
    f"""CREATE TRIGGER bookings_booking_version_delete AFTER DELETE ON bookings_booking
BEGIN {_UPSERT.format(vehicle="OLD.vehicle_id")}; END""",
    f"""CREATE TRIGGER bookings_booking_version_update AFTER UPDATE ON bookings_booking
BEGIN {_UPSERT.format(vehicle="min(OLD.vehicle_id, NEW.vehicle_id)")}; END""",
    f"""CREATE TRIGGER bookings_booking_version_move AFTER UPDATE OF vehicle_id ON bookings_booking
WHEN NEW.vehicle_id <> OLD.vehicle_id
BEGIN {_UPSERT.format(vehicle="max(OLD.vehicle_id, NEW.vehicle_id)")}; END""",
]
SQLITE_VERSION_TRIGGERS_DROP = [
    f"DROP TRIGGER IF EXISTS bookings_booking_version_{event}"
    for event in ("insert", "delete", "update", "move")
]


def create_version_triggers(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, POSTGRES_VERSION_TRIGGER, SQLITE_VERSION_TRIGGERS)


def drop_version_triggers(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, POSTGRES_VERSION_TRIGGER_DROP, SQLITE_VERSION_TRIGGERS_DROP)


def _run(schema_editor: Any, postgres: str, sqlite: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    statements = [postgres] if vendor == "postgresql" else sqlite if vendor == "sqlite" else []
    for statement in statements:
        schema_editor.execute(statement)
