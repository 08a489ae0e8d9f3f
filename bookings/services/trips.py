"""Trips: check-out, check-in and an admin's entry of a past trip from the paper logbook.

The odometer chains: a trip's odometer out equals the previous trip's odometer in. A gap is
not silently accepted: the driver explains it, and it is recorded with its km for the
admins. A decreasing odometer is refused. The check-in and the ledger postings commit
together or not at all (`bookings.services.charges`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.access import is_participant
from bookings.models import MAX_RECEIPT_AMOUNT, Booking, Trip, TripPhoto
from bookings.selectors.trips import previous_odometer_in
from bookings.services import charges
from bookings.services.receipts import (
    ReceiptInput,
    TripFacts,
    check_receipts,
    record_receipts,
    recorded_total,
)
from bookings.services.waiting import tell_waiting_members
from core.bounds import MAX_ODOMETER_KM
from core.errors import DomainError, ForbiddenError, require_status
from core.files import validate_upload
from core.stored_files import atomic_with_files, create_with_files
from members.audit import record_audit
from members.models import Membership

# The services; the checks and helpers below serve them, the logbook's and the incidents'.
__all__ = ["check_in", "check_out"]

# Check-out opens an hour before the booked start (people come a little early).
CHECKOUT_OPENS = dt.timedelta(hours=1)
# Above this average speed over the trip, the distance cannot be right (French motorways).
MAX_PLAUSIBLE_KMH = 130


@dataclass(frozen=True)
class Reading:
    """What the driver reads on the dashboard."""

    odometer: int
    fuel_level: int


def _require_participant(actor: Membership, booking: Booking) -> None:
    if not is_participant(actor, booking):
        raise ForbiddenError(
            _("Only the driver, the vehicle's owners and the administrators may do this."),
            code="forbidden",
        )


def validate_reading(reading: Reading) -> None:
    if not 0 <= reading.odometer <= MAX_ODOMETER_KM:
        raise DomainError(
            _("Give the odometer reading in km, between 0 and 2,000,000."),
            code="odometer_invalid",
            field="odometer",
        )
    if not 0 <= reading.fuel_level <= 100:
        raise DomainError(
            _("Give the fuel or charge level as a percentage, from 0 to 100."),
            code="fuel_level_invalid",
            field="fuel_level",
        )


def validate_files(files: Sequence[UploadedFile]) -> None:
    for upload in files:
        try:
            validate_upload(upload)
        except ValidationError as error:
            raise DomainError(error.messages[0], code="file_invalid", field="photos") from None


def validate_receipts(receipts: Sequence[ReceiptInput]) -> None:
    for receipt in receipts:
        if not 0 < receipt.amount <= MAX_RECEIPT_AMOUNT:
            raise DomainError(
                _("A receipt's amount must be more than 0 € and less than 10,000 €."),
                code="amount_invalid",
                field="fuel_receipts",
            )
    validate_files([r.photo for r in receipts if r.photo is not None])


def check_chain(
    booking: Booking, odometer_out: int, explanation: str
) -> tuple[int | None, int | None]:
    """(previous odometer in, gap km): refuses a decreasing odometer or an unexplained gap."""
    previous = previous_odometer_in(booking.vehicle, before=booking.start)
    if previous is None or previous == odometer_out:
        return previous, None
    if odometer_out < previous:
        raise DomainError(
            _(
                "The odometer cannot read less than at the end of the previous trip "
                "(%(previous)s km). Check the reading."
            )
            % {"previous": previous},
            code="odometer_decreasing",
            field="odometer",
        )
    gap = odometer_out - previous
    if not explanation.strip():
        raise DomainError(
            _(
                "The previous trip ended at %(previous)s km: %(gap)s km are missing from the "
                "logbook. Check the reading; if it is right, explain the gap to go on."
            )
            % {"previous": previous, "gap": gap},
            code="odometer_gap",
            field="gap_explanation",
            gap_km=gap,
        )
    return previous, gap


def check_out(
    *,
    actor: Membership,
    booking: Booking,
    reading: Reading,
    condition: str = "",
    gap_explanation: str = "",
    photos: Sequence[UploadedFile] = (),
) -> Trip:
    """The driver takes the car: odometer out, fuel level, condition; the booking starts."""
    _require_participant(actor, booking)
    validate_reading(reading)
    validate_files(photos)
    now = timezone.now()
    with atomic_with_files():  # a refusal takes the photos back
        booking = Booking.objects.select_for_update().select_related("vehicle").get(pk=booking.pk)
        require_status(booking, Booking.Status.CONFIRMED)
        if not booking.start - CHECKOUT_OPENS <= now < booking.end:
            raise DomainError(
                _("The car can be taken from an hour before the booked start until its end."),
                code="not_now",
            )
        previous, gap = check_chain(booking, reading.odometer, gap_explanation)
        trip = Trip.objects.create(
            booking=booking,
            odometer_out=reading.odometer,
            fuel_level_out=reading.fuel_level,
            condition_out=condition.strip(),
            checked_out_at=now,
            checked_out_by=actor.user,
            previous_odometer_in=previous,
            odometer_gap_km=gap,
            gap_explanation=gap_explanation.strip() if gap else "",
        )
        _save_photos(trip, TripPhoto.Stage.CHECK_OUT, photos)
        booking.status = Booking.Status.IN_PROGRESS
        booking.save(update_fields=["status", "updated_at"])
        audit_trip("trip.check_out", actor, booking, odometer=reading.odometer, gap_km=gap)
    return trip


@dataclass(frozen=True)
class Return:
    """What the driver reports when bringing the car back."""

    reading: Reading
    receipts: Sequence[ReceiptInput] = ()
    damage: str = ""
    parked_at: str = ""
    photos: Sequence[UploadedFile] = ()
    damage_photos: Sequence[UploadedFile] = ()


def check_in(*, actor: Membership, booking: Booking, report: Return) -> Trip:
    """The driver brings the car back; the trip, its charges and the incident its damage
    note opens commit together."""
    _require_participant(actor, booking)
    validate_reading(report.reading)
    validate_receipts(report.receipts)
    validate_files([*report.photos, *report.damage_photos])
    now = timezone.now()
    with atomic_with_files():  # a refusal takes the photos back
        booking = Booking.objects.select_for_update().select_related("vehicle").get(pk=booking.pk)
        require_status(booking, Booking.Status.IN_PROGRESS)
        trip = Trip.objects.select_for_update().get(booking=booking)
        require_not_below(trip.odometer_out, report.reading.odometer)
        km = report.reading.odometer - trip.odometer_out
        facts = TripFacts(booking.vehicle, km, trip.checked_out_at, now)
        check_receipts(facts, report.receipts, already=recorded_total(trip))
        _fill_return(trip, report, actor, now)
        record_receipts(trip=trip, receipts=report.receipts)
        _save_photos(trip, TripPhoto.Stage.CHECK_IN, report.photos)
        booking.status = Booking.Status.COMPLETED
        booking.save(update_fields=["status", "updated_at"])
        if now < booking.blocks_until:  # back early: the rest of the slot is free
            tell_waiting_members(vehicle=booking.vehicle, start=now, end=booking.blocks_until)
        charges.post_trip(actor=actor, trip=trip)
        if trip.damage:  # the damage note opens an incident, with the damage photos
            from bookings.services.incidents import report_damage_at_check_in  # builds on trips

            report_damage_at_check_in(actor=actor, trip=trip, photos=report.damage_photos)
        else:
            _save_photos(trip, TripPhoto.Stage.DAMAGE, report.damage_photos)
        audit_trip("trip.check_in", actor, booking, km=trip.km, flagged=trip.implausible_km)
    return trip


def require_not_below(odometer_out: int, odometer_in: int) -> None:
    if odometer_in < odometer_out:
        raise DomainError(
            _("The odometer at return cannot be lower than at departure (%(out)s km).")
            % {"out": odometer_out},
            code="odometer_decreasing",
            field="odometer",
        )


def _fill_return(trip: Trip, report: Return, actor: Membership, now: dt.datetime) -> None:
    trip.odometer_in = report.reading.odometer
    trip.fuel_level_in = report.reading.fuel_level
    trip.damage = report.damage.strip()
    trip.parked_at = report.parked_at.strip()
    trip.checked_in_at = now
    trip.checked_in_by = actor.user
    trip.implausible_km = is_implausible(
        trip.odometer_in - trip.odometer_out, trip.checked_out_at, now
    )
    trip.save()


def is_implausible(km: int, start: dt.datetime, end: dt.datetime) -> bool:
    """More km than a car can drive in that time at 130 km/h (at least an hour counted)."""
    hours = max((end - start).total_seconds() / 3600, 1.0)
    return km > MAX_PLAUSIBLE_KMH * hours


def _save_photos(trip: Trip, stage: str, photos: Sequence[UploadedFile]) -> None:
    for photo in photos:
        create_with_files(TripPhoto, trip=trip, stage=stage, file=photo)


def audit_trip(action: str, actor: Membership, booking: Booking, **data: Any) -> None:
    record_audit(
        action=action,
        actor=actor.user,
        association=booking.vehicle.association,
        target=booking,
        data=data,
    )
