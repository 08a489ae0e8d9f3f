"""Fuel and charging receipts: money a member declares, bounded by the trip and approved
before it reaches the ledger (DESIGN.md, "Every rule on every path"). Every path that
records receipts (the check-in page and API, the admin's logbook entry) goes through
`check_receipts` and `record_receipts`.

- Date: from the day before the car was taken to the day after it came back (local days).
- Ceiling: the receipts of one trip add up to at most what fills the tank (or battery) from
  empty, plus the energy for the km driven, at a generous price:

      ceiling = (capacity + km × consumption per km) × price per unit

  fuel (petrol, diesel, hybrid, LPG): 0.15 L/km at 3.00 €/L; electric: 0.30 kWh/km at
  1.00 €/kWh. The capacity is the vehicle's `tank_capacity`, or a usual figure for its energy
  (`vehicles.models.vehicle.ENERGY_CAPACITY`). A petrol car of 60 L after 1 km: 180.45 €.
- Approval: a receipt above the association's `receipt_approval_threshold` (150 € by
  default) or without a photo waits (pending) and is posted nowhere. An owner of the car or
  an administrator approves it (posted then, through the ledger's posting service) or
  refuses it with a reason (never posted). The driver may not decide on their own receipt,
  unless they alone bear the car's costs (their own car: the refund nets to zero). An
  admin who types a paper trip approves the receipts clipped to it by entering them.
- Dates in the ledger: on the receipt's date while its period is open; once that period is
  closed, on the day of approval (`ledger.services.first_open_day`), as a correction would be.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bookings.access import may_decide_receipt
from bookings.models import Booking, FuelReceipt, Trip
from bookings.notifications import RECEIPT_PENDING, RECEIPT_REFUSED
from core.errors import ConflictError, DomainError, ForbiddenError
from core.money import ZERO, format_euros, round_money
from core.notices import Message, link, queue_notifications
from core.stored_files import atomic_with_files, create_with_files
from ledger.services import first_open_day, post_fuel_receipt
from members.audit import record_audit
from members.models import Membership
from members.recipients import admins_by_association
from vehicles.access import can_manage_vehicle
from vehicles.models import Tariff, Vehicle
from vehicles.selectors import tariff_on

# The services; the other functions are checks and helpers of the trips' services (which
# record and post receipts inside their own transaction).
__all__ = ["approve_receipt", "refuse_receipt"]

# (consumption per km, price per unit): litres and € per litre, or kWh and € per kWh.
FUEL = (Decimal("0.15"), Decimal("3.00"))
ELECTRIC = (Decimal("0.30"), Decimal("1.00"))
# A receipt may be dated the day before the car is taken or the day after it is back.
DATE_MARGIN = dt.timedelta(days=1)


@dataclass(frozen=True)
class ReceiptInput:
    amount: Decimal
    date: dt.date
    photo: UploadedFile | None = None


@dataclass(frozen=True)
class TripFacts:
    """What bounds a trip's receipts: the car, the km driven, when it was out."""

    vehicle: Vehicle
    km: int
    taken_at: dt.datetime
    returned_at: dt.datetime


def receipt_ceiling(vehicle: Vehicle, km: int) -> Decimal:
    """The most a trip of `km` km can need in fuel or charging (see the module's doc)."""
    per_km, unit_price = ELECTRIC if vehicle.energy == Vehicle.Energy.ELECTRIC else FUEL
    return round_money((vehicle.capacity + max(km, 0) * per_km) * unit_price)


def receipt_window(facts: TripFacts) -> tuple[dt.date, dt.date]:
    tz = facts.vehicle.association.tz
    first = timezone.localtime(facts.taken_at, tz).date() - DATE_MARGIN
    return first, timezone.localtime(facts.returned_at, tz).date() + DATE_MARGIN


def check_receipts(
    facts: TripFacts, receipts: Sequence[ReceiptInput], *, already: Decimal = ZERO
) -> None:
    """Refuse a receipt dated outside the trip, or receipts (with the trip's `already`
    recorded ones) above the trip's ceiling."""
    first, last = receipt_window(facts)
    for receipt in receipts:
        if not first <= receipt.date <= last:
            raise DomainError(
                _(
                    "A receipt must be dated within the trip, from %(first)s to %(last)s. "
                    "Check its date."
                )
                % {"first": _day(first), "last": _day(last)},
                code="receipt_outside_trip",
                field="fuel_receipts",
            )
    total = already + sum((r.amount for r in receipts), ZERO)
    ceiling = receipt_ceiling(facts.vehicle, facts.km)
    if total > ceiling:
        raise DomainError(
            _(
                "These receipts add up to %(total)s, more than this trip can need "
                "(%(ceiling)s: a full tank and the fuel for %(km)s km). Check the amounts; "
                "for another expense, see an administrator."
            )
            % {"total": format_euros(total), "ceiling": format_euros(ceiling), "km": facts.km},
            code="receipt_above_ceiling",
            field="fuel_receipts",
            ceiling=str(ceiling),
        )


def _day(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def recorded_total(trip: Trip) -> Decimal:
    """What the trip's receipts not refused already claim."""
    found = trip.fuel_receipts.exclude(status=FuelReceipt.Status.REFUSED).aggregate(
        total=Sum("amount")
    )["total"]
    return found or ZERO


def record_receipts(
    *, trip: Trip, receipts: Sequence[ReceiptInput], entered_by: Membership | None = None
) -> list[FuelReceipt]:
    """Store checked receipts: approved at once when small and with a photo, or when
    `entered_by` (an admin typing the paper logbook) may approve them; pending otherwise.
    Call inside the transaction that records the trip (an `atomic_with_files` block: the
    photos go if it rolls back); approved ones are posted by it."""
    booking = trip.booking
    threshold = booking.vehicle.association.receipt_approval_threshold
    decider = entered_by if entered_by and may_decide_receipt(entered_by, booking) else None
    now = timezone.now()
    stored: list[FuelReceipt] = []
    for receipt in receipts:
        automatic = receipt.photo is not None and receipt.amount <= threshold
        approved = decider is not None or automatic
        stored.append(
            create_with_files(
                FuelReceipt,
                trip=trip,
                amount=receipt.amount,
                date=receipt.date,
                photo=receipt.photo or "",
                status=FuelReceipt.Status.APPROVED if approved else FuelReceipt.Status.PENDING,
                decided_by=decider.user if decider else None,
                decided_at=now if approved else None,
            )
        )
    _ask_deciders(booking, [r for r in stored if r.status == FuelReceipt.Status.PENDING])
    return stored


def _ask_deciders(booking: Booking, pending: Sequence[FuelReceipt]) -> None:
    """Each pending receipt, once, to the car's other owners, or to the admins when nobody
    else owns it (queued in the caller's transaction, sent after its commit)."""
    if not pending:
        return
    vehicle, association = booking.vehicle, booking.vehicle.association
    driver = booking.driver
    owners = vehicle.ownerships.select_related("owner__user")
    users = [s.owner.user for s in owners if s.owner.is_active and s.owner_id != driver.pk]
    if not users:
        admins = admins_by_association([association.pk]).get(association.pk, [])
        users = [user for user in admins if user.pk != driver.user_id]
    url = link("bookings:receipts", slug=association.slug)
    queue_notifications(
        Message(user, RECEIPT_PENDING, f"receipt:{r.pk}", association, _context(r), url)
        for r in pending
        for user in users
    )


def _context(receipt: FuelReceipt) -> dict[str, object]:
    booking = receipt.trip.booking
    return {
        "driver": booking.driver.user.display_name,
        "vehicle": booking.vehicle.name,
        "amount": format_euros(receipt.amount),
        "date": receipt.date,
        "reason": receipt.refusal_reason,
    }


def _require_decider(actor: Membership, booking: Booking) -> None:
    if not can_manage_vehicle(actor, booking.vehicle):
        raise ForbiddenError(
            _("Only the car's owners and the administrators approve receipts."),
            code="forbidden",
        )
    if not may_decide_receipt(actor, booking):
        raise ForbiddenError(
            _(
                "You cannot approve your own receipt: the car's other owners or an "
                "administrator will."
            ),
            code="receipt_own",
        )


def _locked(receipt: FuelReceipt) -> FuelReceipt:
    locked = (
        FuelReceipt.objects.select_for_update()
        .select_related("trip__booking__vehicle__association", "trip__booking__driver")
        .get(pk=receipt.pk)
    )
    if locked.status != FuelReceipt.Status.PENDING:
        raise ConflictError(
            _("This receipt was already %(status)s.") % {"status": locked.get_status_display()},
            code="invalid_status",
        )
    return locked


def _decide(receipt: FuelReceipt, actor: Membership, status: str) -> None:
    receipt.status = status
    receipt.decided_by = actor.user
    receipt.decided_at = timezone.now()


def approve_receipt(*, actor: Membership, receipt: FuelReceipt) -> FuelReceipt:
    """An owner of the car or an admin approves a pending receipt: it is refunded now."""
    _require_decider(actor, receipt.trip.booking)
    with atomic_with_files():  # the ledger keeps a copy of the photo
        receipt = _locked(receipt)
        _decide(receipt, actor, FuelReceipt.Status.APPROVED)
        receipt.save(update_fields=["status", "decided_by", "decided_at"])
        post_receipt(actor=actor, receipt=receipt)
        _audit("receipt.approve", actor, receipt)
    return receipt


def refuse_receipt(*, actor: Membership, receipt: FuelReceipt, reason: str) -> FuelReceipt:
    """An owner of the car or an admin refuses a pending receipt, saying why: never posted."""
    _require_decider(actor, receipt.trip.booking)
    if not reason.strip():
        raise DomainError(
            _("Say why you refuse this receipt: the driver will read it."),
            code="reason_required",
            field="reason",
        )
    with transaction.atomic():
        receipt = _locked(receipt)
        _decide(receipt, actor, FuelReceipt.Status.REFUSED)
        receipt.refusal_reason = reason.strip()
        receipt.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason"])
        _audit("receipt.refuse", actor, receipt, reason=receipt.refusal_reason)
        booking = receipt.trip.booking
        url = link("bookings:detail", slug=booking.vehicle.association.slug, pk=booking.pk)
        message = Message(
            booking.driver.user,
            RECEIPT_REFUSED,
            f"receipt:{receipt.pk}",
            booking.vehicle.association,
            _context(receipt),
            url,
        )
        queue_notifications([message])
    return receipt


def post_receipt(*, actor: Membership, receipt: FuelReceipt) -> None:
    """Refund an approved receipt when the tariff of its day includes fuel (otherwise the
    driver bears the fuel: "refill and keep the receipts")."""
    booking = receipt.trip.booking
    vehicle = booking.vehicle
    tariff = tariff_on(vehicle, receipt.date)
    if tariff is None or tariff.fuel_policy != Tariff.FuelPolicy.INCLUDED:
        return
    post_fuel_receipt(
        driver=booking.driver,
        vehicle=vehicle,
        amount=receipt.amount,
        paid_on=receipt.date,
        posted_on=first_open_day(vehicle.association, receipt.date),
        reference=f"fuel:{receipt.pk}",
        actor=actor,
        receipt=receipt.photo or None,
    )


def _audit(action: str, actor: Membership, receipt: FuelReceipt, **data: object) -> None:
    record_audit(
        action=action,
        actor=actor.user,
        association=receipt.trip.booking.vehicle.association,
        target=receipt.trip.booking,
        data={"receipt": receipt.pk, "amount": str(receipt.amount), **data},
    )
