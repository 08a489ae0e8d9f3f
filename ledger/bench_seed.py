"""Bench data for the ledger: every party's account (members, fund, commune), and
`TripPoster`, which bookings' bench part uses to post the charges of its completed trips.

The postings are built from the same pure pieces as `post_trip_charge` (the tariff in force
on the local start day, `estimate_trip_cost`, the owner side split by largest remainder,
`net_legs`), so a bench trip charge has exactly the legs the service would write: they sum
to zero and PostgreSQL's deferred balance trigger accepts them. Legs are inserted in the
same database transaction as their ledger transaction (a batch never splits one).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from core.bench_seeding import BenchContext
from core.money import ZERO
from ledger.models import Account, LedgerTransaction, Leg
from ledger.pricing import estimate_trip_cost, trip_hours
from ledger.services.accounts import Weights, split_over
from ledger.services.posting import LegSpec, net_legs
from members.models import Association, Membership
from vehicles.models import Tariff, Vehicle, VehicleOwnership


def seed(ctx: BenchContext) -> None:
    associations = ctx.of(Association)
    ctx.bulk_create(Account, (a for assoc in associations for a in _party_accounts(assoc)))
    ctx.bulk_create(
        Account,
        (
            Account(association_id=m.association_id, kind=Account.Kind.MEMBER, membership=m)
            for m in ctx.of(Membership)
            if m.status != Membership.Status.PENDING
        ),
    )


def _party_accounts(association: Association) -> list[Account]:
    return [
        Account(association=association, kind=Account.Kind.FUND),
        Account(association=association, kind=Account.Kind.COMMUNE),
    ]


@dataclass(frozen=True)
class TripFacts:
    """What bookings hands over for a completed trip (as `post_trip_charge` receives it)."""

    driver: Membership
    vehicle: Vehicle
    km: int
    started_at: dt.datetime
    ended_at: dt.datetime
    reference: str
    posted_at: dt.datetime


class TripPoster:
    """Builds trip postings in memory from the kept bench rows; `insert` writes a batch."""

    def __init__(self, ctx: BenchContext) -> None:
        self.ctx = ctx
        self.tz = {a.pk: a.tz for a in ctx.of(Association)}
        self.member_accounts: dict[int, Account] = {}
        self.party_accounts: dict[tuple[int, str], Account] = {}
        for account in ctx.of(Account):
            if account.membership_id is not None:
                self.member_accounts[account.membership_id] = account
            else:
                self.party_accounts[(account.association_id, account.kind)] = account
        self.tariffs: dict[int, list[Tariff]] = defaultdict(list)
        for tariff in sorted(ctx.of(Tariff), key=lambda t: t.valid_from):
            self.tariffs[tariff.vehicle_id].append(tariff)
        self.shares: dict[int, list[VehicleOwnership]] = defaultdict(list)
        for share in ctx.of(VehicleOwnership):
            self.shares[share.vehicle_id].append(share)
        for shares in self.shares.values():  # as vehicles.selectors.ownership_shares orders
            shares.sort(key=lambda s: (-s.share, s.owner_id))

    def tariff_on(self, vehicle_id: int, day: dt.date) -> Tariff | None:
        """The tariff in force on `day` (the latest one not starting after it)."""
        found = None
        for tariff in self.tariffs[vehicle_id]:
            if tariff.valid_from <= day:
                found = tariff
        return found

    def owner_side(self, vehicle: Vehicle) -> Weights:
        if vehicle.owner_kind == Vehicle.OwnerKind.ASSOCIATION:
            return [(self.party_accounts[(vehicle.association_id, Account.Kind.FUND)], Decimal(1))]
        if vehicle.owner_kind == Vehicle.OwnerKind.COMMUNE:
            key = (vehicle.association_id, Account.Kind.COMMUNE)
            return [(self.party_accounts[key], Decimal(1))]
        return [(self.member_accounts[s.owner_id], s.share) for s in self.shares[vehicle.pk]]

    def price(self, facts: TripFacts) -> Decimal:
        """What the trip costs at the tariff in force on its local start day."""
        tz = self.tz[facts.vehicle.association_id]
        tariff = self.tariff_on(facts.vehicle.pk, facts.started_at.astimezone(tz).date())
        if tariff is None:
            return ZERO
        return estimate_trip_cost(
            tariff=tariff, km=facts.km, started_at=facts.started_at, ended_at=facts.ended_at, tz=tz
        )

    def posting(self, facts: TripFacts) -> tuple[LedgerTransaction, list[LegSpec]]:
        """The trip charge and its netted legs, as `post_trip_charge` would write them."""
        tz = self.tz[facts.vehicle.association_id]
        tariff = self.tariff_on(facts.vehicle.pk, facts.started_at.astimezone(tz).date())
        price = self.price(facts)
        payer = self.member_accounts[facts.driver.pk]
        legs = [LegSpec(payer, -price)]
        legs += [
            LegSpec(account, part)
            for account, part in split_over(price, self.owner_side(facts.vehicle))
        ]
        txn = LedgerTransaction(
            association_id=facts.vehicle.association_id,
            kind=LedgerTransaction.Kind.TRIP,
            date=facts.ended_at.astimezone(tz).date(),
            amount=price,
            reference=facts.reference,
            vehicle=facts.vehicle,
            owner_kind=facts.vehicle.owner_kind,
            driver=facts.driver,
            km=facts.km,
            hours=trip_hours(facts.started_at, facts.ended_at),
            started_at=facts.started_at,
            ended_at=facts.ended_at,
            tariff=tariff,
            created_by_id=facts.driver.user_id,
            created_at=facts.posted_at,
        )
        return txn, net_legs(legs)

    def insert(self, trips: list[TripFacts]) -> None:
        """Write the postings of `trips` with their legs; call inside the batch's atomic block."""
        assert transaction.get_connection().in_atomic_block  # noqa: S101 - legs with their txn
        built = [self.posting(facts) for facts in trips]
        txns = LedgerTransaction.objects.bulk_create([txn for txn, _legs in built])
        legs = [
            Leg(transaction=txn, account=leg.account, amount=leg.amount)
            for txn, (_txn, specs) in zip(txns, built, strict=True)
            for leg in specs
        ]
        Leg.objects.bulk_create(legs, batch_size=self.ctx.batch_size)
        self.ctx.counts["ledger.LedgerTransaction"] += len(txns)
        self.ctx.counts["ledger.Leg"] += len(legs)
