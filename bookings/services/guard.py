"""The no-overlap guard around every write that makes or moves a blocking booking.

SQLite: `transaction.atomic()` begins with BEGIN IMMEDIATE (settings: transaction_mode),
so the overlap check and the write of two requests are serialised by the database lock.
PostgreSQL: the vehicle's row is locked (bookings of one car are written one at a time,
so the loser gets the clear overlap answer), and the exclusion constraint
`booking_no_overlap` refuses an overlap whoever writes; its violation becomes the same
ConflictError.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, transaction

from bookings.db import NO_OVERLAP_CONSTRAINT
from bookings.eligibility import OVERLAP, OVERLAP_MESSAGE, owner_time_reasons, reason_error
from bookings.selectors.overlap import first_overlap
from core.errors import ConflictError
from members.models import Membership
from vehicles.models import Vehicle

# No service: the booking guard runs inside the services that create or move a booking.
__all__: list[str] = []


def overlap_error() -> ConflictError:
    return ConflictError(OVERLAP_MESSAGE, code=OVERLAP, reasons=[OVERLAP])


def is_overlap_violation(error: IntegrityError) -> bool:
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) == NO_OVERLAP_CONSTRAINT


def lock_vehicle(vehicle: Vehicle) -> None:
    """Row lock on PostgreSQL; a no-op on SQLite, where BEGIN IMMEDIATE already holds the lock."""
    Vehicle.objects.select_for_update().filter(pk=vehicle.pk).values_list("pk").first()


@contextmanager
def vehicle_write_lock(vehicle: Vehicle) -> Iterator[None]:
    """One transaction in which the vehicle's bookings are written one request at a time."""
    try:
        with transaction.atomic():
            lock_vehicle(vehicle)
            yield
    except IntegrityError as error:
        if is_overlap_violation(error):
            raise overlap_error() from error
        raise


def ensure_no_overlap(
    *,
    vehicle: Vehicle,
    start: dt.datetime,
    end: dt.datetime,
    exclude_pk: int | None = None,
    driver: Membership | None = None,
) -> None:
    """Call inside `vehicle_write_lock` on every path that makes or moves a booking: the
    slot is free of other bookings (409 `overlap`) and of the owners' own time (409
    `vehicle_unavailable`), and the driver stays within the owner's monthly cap (403
    `monthly_cap_reached`). The driver is the moved booking's when not given."""
    if first_overlap(vehicle=vehicle, start=start, end=end, exclude_pk=exclude_pk) is not None:
        raise overlap_error()
    if driver is None and exclude_pk is not None:
        driver = Membership.objects.filter(bookings__pk=exclude_pk).first()
    reasons = owner_time_reasons(
        vehicle=vehicle, driver=driver, start=start, end=end, exclude_pk=exclude_pk
    )
    if reasons:
        raise reason_error(reasons[0])
