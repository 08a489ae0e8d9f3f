"""A booking repeated every day or every week, each occurrence checked on its own; and the
cancellation of the rest of a series."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking, BookingSeries
from bookings.services.bookings import cancel_booking, create_booking
from bookings.slots import validate_range
from core.errors import DomainError
from core.timeutils import make_local
from members.audit import record_audit
from members.models import Membership
from vehicles.models import Vehicle

# The services; occurrences is a read (the series form shows the dates).
__all__ = ["book_series", "cancel_rest_of_series"]

STEPS: dict[str, int] = {BookingSeries.Every.DAY: 1, BookingSeries.Every.WEEK: 7}


@dataclass(frozen=True)
class Refusal:
    start: dt.datetime
    end: dt.datetime
    code: str
    message: str


@dataclass
class SeriesResult:
    series: BookingSeries
    created: list[Booking] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


def occurrences(
    start: dt.datetime, end: dt.datetime, every: str, count: int, vehicle: Vehicle
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The series' slots at the same wall-clock times in the association's zone (a weekly
    booking stays at 08:00 across a daylight-saving change)."""
    tz = vehicle.association.tz
    first, last = start.astimezone(tz), end.astimezone(tz)
    step = dt.timedelta(days=STEPS[every])
    return [
        (
            make_local(first.date() + step * index, first.time(), tz),
            make_local(last.date() + step * index, last.time(), tz),
        )
        for index in range(count)
    ]


def book_series(
    *,
    actor: Membership,
    vehicle: Vehicle,
    start: dt.datetime,
    end: dt.datetime,
    every: str,
    count: int,
    note: str = "",
) -> SeriesResult:
    """A member books `count` occurrences (26 at most) for themselves; each one goes through
    the same rules as a single booking, and a refused one is reported with its reason code."""
    if every not in STEPS:
        raise DomainError(_("Repeat every day or every week."), code="invalid_every")
    if not 1 <= count <= BookingSeries.MAX_OCCURRENCES:
        raise DomainError(
            _("A series has 1 to %(max)s occurrences.") % {"max": BookingSeries.MAX_OCCURRENCES},
            code="too_many_occurrences",
            field="count",
        )
    validate_range(start, end)
    with transaction.atomic():
        series = BookingSeries.objects.create(
            vehicle=vehicle, driver=actor, every=every, count=count, created_by=actor.user
        )
        result = SeriesResult(series)
        for slot_start, slot_end in occurrences(start, end, every, count, vehicle):
            _book_one(result, actor, vehicle, slot_start, slot_end, note)
        Booking.objects.filter(pk__in=[b.pk for b in result.created]).update(series=series)
        record_audit(
            action="booking.series",
            actor=actor.user,
            association=vehicle.association,
            target=series,
            data={
                "created": [b.pk for b in result.created],
                "refused": [r.code for r in result.refused],
            },
        )
    return result


def _book_one(
    result: SeriesResult,
    booked_by: Membership,
    vehicle: Vehicle,
    start: dt.datetime,
    end: dt.datetime,
    note: str,
) -> None:
    try:
        booking = create_booking(
            actor=booked_by, driver=booked_by, vehicle=vehicle, start=start, end=end, note=note
        )
    except DomainError as error:
        result.refused.append(Refusal(start, end, error.code, str(error.message)))
    else:
        booking.series = result.series
        result.created.append(booking)


def cancel_rest_of_series(
    *, actor: Membership, booking: Booking, reason: str = ""
) -> list[Booking]:
    """Cancel this occurrence and the later ones of its series that have not started."""
    if booking.series_id is None:
        raise DomainError(_("This booking is not part of a series."), code="not_a_series")
    later = Booking.objects.filter(
        series_id=booking.series_id,
        start__gte=booking.start,
        status__in=[Booking.Status.REQUESTED, Booking.Status.CONFIRMED],
    ).order_by("start")
    with transaction.atomic():
        return [cancel_booking(actor=actor, booking=b, reason=reason) for b in later]
