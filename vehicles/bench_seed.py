"""Bench data for the fleet: `scale.vehicles` cars per association, most owned by one member,
some by co-owners, the association or the commune; each with an active insurance policy and
a tariff in force since the start of the history (a third of them raised half-way)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from core.bench_seeding import BenchContext
from core.timeutils import add_months
from members.models import Association, Membership
from vehicles.models import InsurancePolicy, Tariff, Vehicle, VehicleOwnership

MODELS = [
    ("Renault", "Clio", Vehicle.Energy.PETROL, 5),
    ("Peugeot", "208", Vehicle.Energy.PETROL, 5),
    ("Dacia", "Sandero", Vehicle.Energy.PETROL, 5),
    ("Citroën", "C3", Vehicle.Energy.DIESEL, 5),
    ("Renault", "Kangoo", Vehicle.Energy.DIESEL, 5),
    ("Toyota", "Yaris", Vehicle.Energy.HYBRID, 5),
    ("Renault", "Zoe", Vehicle.Energy.ELECTRIC, 5),
    ("Peugeot", "Partner", Vehicle.Energy.DIESEL, 7),
    ("Dacia", "Jogger", Vehicle.Energy.LPG, 7),
    ("Volkswagen", "Polo", Vehicle.Energy.PETROL, 5),
    ("Fiat", "Panda", Vehicle.Energy.PETROL, 4),
]
PLACES = [
    "Place de la mairie", "Parking de l'école", "Devant la salle des fêtes", "Rue du Lavoir",
    "Cour de la ferme des Combes", "Parking de la gare", "Chemin des Écoliers",
]  # fmt: skip
INSURERS = ["MAIF", "MACIF", "Groupama", "Matmut", "AXA", "GMF", "MAAF", "Crédit Agricole"]
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTVWXYZ"  # no I, O, U on French plates


def seed(ctx: BenchContext) -> None:
    members = _active_members_by_association(ctx)
    associations = ctx.of(Association)
    total = len(associations) * ctx.scale.vehicles
    vehicles = ctx.bulk_create(
        Vehicle,
        (v for a in associations for v in _vehicles_of(ctx, a, members[a.pk])),
        total=total,
    )
    ctx.bulk_create(VehicleOwnership, _ownerships(ctx, vehicles, members))
    ctx.bulk_create(InsurancePolicy, (_insurance(ctx, v) for v in vehicles), total=total)
    ctx.bulk_create(Tariff, (t for v in vehicles for t in _tariffs(ctx, v)))
    first_vehicle: dict[int, int] = {}
    for vehicle in vehicles:
        first_vehicle.setdefault(vehicle.association_id, vehicle.pk)
    for account in ctx.accounts:
        account["vehicle_id"] = first_vehicle.get(account["association_id"])


def _active_members_by_association(ctx: BenchContext) -> dict[int, list[Membership]]:
    grouped: dict[int, list[Membership]] = {a.pk: [] for a in ctx.of(Association)}
    for membership in ctx.of(Membership):
        if membership.status == Membership.Status.ACTIVE:
            grouped[membership.association_id].append(membership)
    return grouped


def _plate(ctx: BenchContext, taken: set[str]) -> str:
    while True:
        letters = ctx.rng.choices(PLATE_LETTERS, k=4)
        plate = (
            f"{letters[0]}{letters[1]}-{ctx.rng.randrange(1, 1000):03d}-{letters[2]}{letters[3]}"
        )
        if plate not in taken:
            taken.add(plate)
            return plate


def _owner_kind(ctx: BenchContext) -> str:
    draw = ctx.rng.random()
    if draw < 0.7:
        return Vehicle.OwnerKind.MEMBER
    if draw < 0.85:
        return Vehicle.OwnerKind.CO_OWNERS
    if draw < 0.95:
        return Vehicle.OwnerKind.ASSOCIATION
    return Vehicle.OwnerKind.COMMUNE


def _vehicles_of(
    ctx: BenchContext, association: Association, members: list[Membership]
) -> Iterator[Vehicle]:
    taken: set[str] = set()
    for index in range(ctx.scale.vehicles):
        make, model, energy, seats = ctx.rng.choice(MODELS)
        kind = _owner_kind(ctx) if len(members) >= 2 else Vehicle.OwnerKind.ASSOCIATION
        holder = ctx.rng.choice(members) if kind in {"member", "co_owners"} else None
        yield Vehicle(
            association=association,
            name=f"{model} {index + 1}",
            make=make,
            model=model,
            plate=_plate(ctx, taken),
            first_registered_on=ctx.today - dt.timedelta(days=ctx.rng.randrange(365, 15 * 365)),
            energy=energy,
            gearbox=Vehicle.Gearbox.AUTOMATIC
            if energy == Vehicle.Energy.ELECTRIC
            else Vehicle.Gearbox.MANUAL,
            seats=seats,
            parking_place=ctx.rng.choice(PLACES),
            key_mode=ctx.rng.choice(list(Vehicle.KeyMode)),
            usage_rules="Non-fumeur. Plein au-dessus du quart.",
            owner_kind=kind,
            registration_holder=holder,
            approval_required=ctx.rng.random() < 0.3,
            min_notice_hours=ctx.rng.choice([0, 0, 2, 12]),
            max_booking_hours=ctx.rng.choice([None, None, 72, 168]),
            buffer_minutes=ctx.rng.choice([0, 0, 15, 30]),
        )


def _ownerships(
    ctx: BenchContext, vehicles: list[Vehicle], members: dict[int, list[Membership]]
) -> Iterator[VehicleOwnership]:
    for vehicle in vehicles:
        holder = vehicle.registration_holder
        if holder is None:
            continue  # the association's or the commune's car: no member owns a share
        if vehicle.owner_kind == Vehicle.OwnerKind.MEMBER:
            yield VehicleOwnership(vehicle=vehicle, owner=holder, share=Decimal("100"))
            continue
        others = [m for m in members[vehicle.association_id] if m.pk != holder.pk]
        co_owner = ctx.rng.choice(others)
        yield VehicleOwnership(vehicle=vehicle, owner=holder, share=Decimal("50"))
        yield VehicleOwnership(vehicle=vehicle, owner=co_owner, share=Decimal("50"))


def _insurance(ctx: BenchContext, vehicle: Vehicle) -> InsurancePolicy:
    deductible = Decimal(ctx.rng.choice(["300.00", "450.00", "500.00", "650.00", "800.00"]))
    rule = ctx.rng.choices(list(InsurancePolicy.YoungDriverRule), weights=[5, 3, 2])[0]
    higher = rule == InsurancePolicy.YoungDriverRule.HIGHER_DEDUCTIBLE
    return InsurancePolicy(
        vehicle=vehicle,
        insurer=ctx.rng.choice(INSURERS),
        policy_number=f"{ctx.rng.randrange(10**7, 10**8)}-{vehicle.pk}",
        cover=ctx.rng.choices(list(InsurancePolicy.Cover), weights=[7, 3])[0],
        valid_from=ctx.start - dt.timedelta(days=ctx.rng.randrange(1, 700)),
        deductible=deductible,
        young_driver_rule=rule,
        young_driver_deductible=deductible * 2 if higher else None,
        min_driver_age=ctx.rng.choice([18, 21, 21]),
        min_licence_years=ctx.rng.choice([0, 2, 2, 3]),
    )


def _tariffs(ctx: BenchContext, vehicle: Vehicle) -> Iterator[Tariff]:
    price = Decimal(ctx.rng.randrange(20, 39)) / 100
    fuel = ctx.rng.choices(list(Tariff.FuelPolicy), weights=[7, 3])[0]
    per_hour = Decimal("1.00") if ctx.rng.random() < 0.2 else None
    cap = Decimal("10.00") if per_hour else None
    yield Tariff(
        vehicle=vehicle,
        valid_from=ctx.start,
        price_per_km=price,
        price_per_hour=per_hour,
        daily_hour_cap=cap,
        fuel_policy=fuel,
    )
    if ctx.rng.random() < 1 / 3 and ctx.scale.months >= 2:
        yield Tariff(
            vehicle=vehicle,
            valid_from=add_months(ctx.start, ctx.scale.months // 2),
            price_per_km=price + Decimal("0.02"),
            price_per_hour=per_hour,
            daily_hour_cap=cap,
            fuel_policy=fuel,
        )
