"""Database objects the models cannot declare: PostgreSQL's exclusion constraint (SQLite skips
it) and the triggers that version each vehicle's bookings and kept periods, and the home
page of the association of an incident's car (both databases).

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

from core.versioning import VersionTrigger
from members.db import home_version_trigger
from vehicles.db import VIA_VEHICLE

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


# The version of a vehicle's bookings (bookings.models.VehicleBookingsVersion), bumped on
# every INSERT, UPDATE and DELETE of a booking (a booking moved to another car: both).
BOOKINGS_VERSION_TRIGGER = VersionTrigger(
    name="bookings_booking_version",
    table="bookings_booking",
    versions="bookings_vehiclebookingsversion",
    key="vehicle_id",
    row_key="{row}.vehicle_id",
)

# The owners' kept periods show on the planning too (and no free slot inside them): every
# write of one bumps the same version, of its vehicle (moved to another car: both).
UNAVAILABILITY_VERSION_TRIGGER = VersionTrigger(
    name="bookings_unavailability_version",
    table="bookings_unavailability",
    versions="bookings_vehiclebookingsversion",
    key="vehicle_id",
    row_key="{row}.vehicle_id",
)

# A fuel receipt of a trip (its approval queue shows on "My bookings" of the car's owners and
# the admins): every write of one bumps the version of the trip's vehicle.
RECEIPTS_VERSION_TRIGGER = VersionTrigger(
    name="bookings_fuelreceipt_version",
    table="bookings_fuelreceipt",
    versions="bookings_vehiclebookingsversion",
    key="vehicle_id",
    row_key=(
        "(SELECT booking.vehicle_id FROM bookings_trip trip JOIN bookings_booking booking "
        "ON booking.id = trip.booking_id WHERE trip.id = {row}.trip_id)"
    ),
)

# The owners' section of the home page counts each car's open incidents (members.db).
INCIDENT_HOME_VERSION_TRIGGER = home_version_trigger("bookings_incident", VIA_VEHICLE)

VERSION_TRIGGERS = (
    BOOKINGS_VERSION_TRIGGER,
    UNAVAILABILITY_VERSION_TRIGGER,
    RECEIPTS_VERSION_TRIGGER,
    INCIDENT_HOME_VERSION_TRIGGER,
)
