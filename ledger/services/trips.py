"""Postings from trips: the trip charge, fuel receipts, damage and deductible charges.

Called by bookings (check-in, an admin's entry of a past trip) with plain facts, inside the
caller's database transaction: a trip and its charge commit together or not at all. The
references are the caller's idempotency keys ("booking:<id>", "fuel:<id>", "damage:<id>"):
posting the same facts again returns the first posting; other facts under a reference that
is in use raise ConflictError (reverse the first posting, then post again).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files import File
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.money import round_money
from ledger.models import LedgerTransaction
from ledger.pricing import estimate_trip_cost, trip_hours
from ledger.services.accounts import Weights, member_account, owner_side, split_over
from ledger.services.posting import LegSpec, Posting, post
from members.models import Association, Membership
from members.permissions import Actor, require_admin, require_member
from vehicles.models import Tariff, Vehicle
from vehicles.selectors import tariff_on

# The services; the others are helpers.
__all__ = ["post_damage_charge", "post_fuel_receipt", "post_trip_charge"]


def same_association(driver: Membership, vehicle: Vehicle) -> Association:
    if driver.association_id != vehicle.association_id:
        raise DomainError(
            _("The driver and the vehicle belong to different associations."),
            code="foreign",
        )
    return vehicle.association


def charge_legs(payer: Membership, amount: Decimal, weights: Weights) -> list[LegSpec]:
    """The payer owes `amount` to the owner side; the payer's own share cancels out."""
    legs = [LegSpec(member_account(payer), -amount)]
    return legs + [LegSpec(account, part) for account, part in split_over(amount, weights)]


def refund_legs(payee: Membership, amount: Decimal, weights: Weights) -> list[LegSpec]:
    """The owner side owes `amount` to the payee (who advanced it)."""
    return [LegSpec(leg.account, -leg.amount) for leg in charge_legs(payee, amount, weights)]


def _positive(amount: Decimal) -> Decimal:
    rounded = round_money(amount)
    if rounded <= 0:
        raise DomainError(_("The amount must be greater than zero."), code="amount")
    return rounded


def _require_reference(reference: str) -> None:
    if not reference:
        raise DomainError(_("A reference is required."), code="reference_required")


def _tariff_for_trip(vehicle: Vehicle, day: dt.date) -> Tariff:
    tariff = tariff_on(vehicle, day)
    if tariff is None:
        raise DomainError(
            _("No tariff of %(vehicle)s is in force on %(date)s.")
            % {"vehicle": vehicle.name, "date": day.isoformat()},
            code="no_tariff",
        )
    return tariff


def post_trip_charge(
    *,
    driver: Membership,
    vehicle: Vehicle,
    km: int,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    reference: str,
    actor: Actor,
) -> LedgerTransaction:
    """Charge a trip to its driver and credit the owner side; owners' own trips are free.
    Called by the check-in and the logbook, inside their transaction, with their actor
    (whom they checked: the driver, an owner, an admin).

    Tariff: the one in force on the local start date. Co-owners are credited by share; a
    co-owner driving pays only the other co-owners' shares. A free trip is still recorded
    (no legs) so that its km count. Dated on the local end date.
    """
    require_member(actor, vehicle.association_id)
    association = same_association(driver, vehicle)
    _require_reference(reference)
    if km < 0 or ended_at <= started_at:
        raise DomainError(
            _("A trip needs km that are not negative and an end after its start."),
            code="bad_trip",
        )
    tz = association.tz
    tariff = _tariff_for_trip(vehicle, started_at.astimezone(tz).date())
    price = estimate_trip_cost(
        tariff=tariff, km=km, started_at=started_at, ended_at=ended_at, tz=tz
    )
    posting = Posting(
        kind=LedgerTransaction.Kind.TRIP,
        date=ended_at.astimezone(tz).date(),
        label="",
        amount=price,
        legs=charge_legs(driver, price, owner_side(vehicle)),
        reference=reference,
        vehicle=vehicle,
        owner_kind=vehicle.owner_kind,
        driver=driver,
        km=km,
        hours=trip_hours(started_at, ended_at),
        started_at=started_at,
        ended_at=ended_at,
        tariff=tariff,
    )
    facts = (driver.pk, vehicle.pk, km, started_at, ended_at)

    def same_trip(txn: LedgerTransaction) -> bool:
        return (txn.driver_id, txn.vehicle_id, txn.km, txn.started_at, txn.ended_at) == facts

    return post(association=association, posting=posting, actor=actor.user, same_as=same_trip)


def post_fuel_receipt(
    *,
    driver: Membership,
    vehicle: Vehicle,
    amount: Decimal,
    paid_on: dt.date,
    reference: str,
    actor: Actor,
    receipt: File[Any] | None = None,
    posted_on: dt.date | None = None,
) -> LedgerTransaction:
    """Refund a driver's fuel receipt: credited to the driver, charged to the owner side.

    Only when the tariff in force on `paid_on` includes fuel; dated `posted_on` (default
    `paid_on`): a receipt approved after its period was closed is posted on an open day.
    Called by the receipt's approval with its actor (an owner or an admin, checked there).
    """
    require_member(actor, vehicle.association_id)
    association = same_association(driver, vehicle)
    _require_reference(reference)
    amount = _positive(amount)
    tariff = tariff_on(vehicle, paid_on)
    if tariff is None or tariff.fuel_policy != Tariff.FuelPolicy.INCLUDED:
        raise DomainError(
            _(
                "Fuel is not included in the price of %(vehicle)s: the driver refills and "
                "keeps the receipt; there is nothing to refund."
            )
            % {"vehicle": vehicle.name},
            code="fuel_not_included",
        )
    day = posted_on or paid_on
    posting = Posting(
        kind=LedgerTransaction.Kind.FUEL,
        date=day,
        label="",
        amount=amount,
        legs=refund_legs(driver, amount, owner_side(vehicle)),
        reference=reference,
        vehicle=vehicle,
        owner_kind=vehicle.owner_kind,
        driver=driver,
        receipt=receipt,
    )
    facts = (driver.pk, vehicle.pk, amount, day)

    def same_receipt(txn: LedgerTransaction) -> bool:
        return (txn.driver_id, txn.vehicle_id, txn.amount, txn.date) == facts

    return post(association=association, posting=posting, actor=actor.user, same_as=same_receipt)


def post_damage_charge(
    *,
    driver: Membership,
    vehicle: Vehicle,
    kind: str,
    amount: Decimal,
    occurred_on: dt.date,
    description: str,
    reference: str,
    actor: Actor,
) -> LedgerTransaction:
    """An admin charges a driver for damage (repair below the deductible) or for the deductible.

    `kind` is LedgerTransaction.Kind.DAMAGE or DEDUCTIBLE; the owner side is credited (it
    pays the garage). `reference` may be empty for an admin's manual entry.
    """
    require_admin(actor, vehicle.association_id)
    association = same_association(driver, vehicle)
    if kind not in (LedgerTransaction.Kind.DAMAGE, LedgerTransaction.Kind.DEDUCTIBLE):
        raise DomainError(_("Unknown kind of charge."), code="kind")
    amount = _positive(amount)
    posting = Posting(
        kind=kind,
        date=occurred_on,
        label=description,
        amount=amount,
        legs=charge_legs(driver, amount, owner_side(vehicle)),
        reference=reference,
        vehicle=vehicle,
        owner_kind=vehicle.owner_kind,
        driver=driver,
    )
    facts = (kind, driver.pk, vehicle.pk, amount, occurred_on)

    def same_charge(txn: LedgerTransaction) -> bool:
        return (txn.kind, txn.driver_id, txn.vehicle_id, txn.amount, txn.date) == facts

    return post(association=association, posting=posting, actor=actor.user, same_as=same_charge)
