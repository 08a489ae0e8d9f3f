"""Demo fleet: villerouge's Clio, Zoé de la mairie and Kangoo, saint-martin's 208.

Dates are relative to today in Europe/Paris so that the demo keeps showing what it is meant
to show (valid insurance, the Clio's roadworthiness test due within 30 days). Idempotent:
vehicles are found by plate, and a vehicle's records are added only when it has none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from core.timeutils import add_months, add_years, local_today
from members.models import Association, Membership
from vehicles.calculator import CalculatorInputs, calculate_price_per_km, calculation_record
from vehicles.models import (
    InsurancePolicy,
    MaintenanceEvent,
    Tariff,
    Vehicle,
    VehicleDocument,
    VehicleOwnership,
)

PARIS = ZoneInfo("Europe/Paris")
D = Decimal

# The worked example: 0.111 + 0.128 + 0.060 = 0.299 €/km, rounded to 0.30.
CLIO_CALCULATION = CalculatorInputs(
    insurance=D("600"),
    roadworthiness_test=D("80"),
    maintenance=D("400"),
    tyres=D("150"),
    tax=D("0"),
    assistance=D("50"),
    fuel_included=True,
    consumption_per_100km=D("6"),
    energy_price=D("1.85"),
    purchase_value=D("9000"),
    depreciation_km=D("150000"),
    own_km=D("6000"),
    shared_km=D("4000"),
)


@dataclass(frozen=True)
class DemoCar:
    association: str
    vehicle: dict[str, Any]
    owner_kind: str
    owners: tuple[tuple[str, str], ...]  # (e-mail, share %)
    holder: str | None
    policy: dict[str, Any]
    tariff: dict[str, Any]
    roadworthiness_due_in_days: int | None
    maintenance: tuple[tuple[int, str, str, str], ...] = field(default=())  # days ago, kind…


DEMO_CARS = [
    DemoCar(
        association="villerouge",
        vehicle={
            "name": "Clio",
            "make": "Renault",
            "model": "Clio",
            "plate": "FG-481-KT",
            "first_registered_on": dt.date(2019, 3, 14),
            "energy": Vehicle.Energy.PETROL,
            "parking_place": "12 rue du Lavoir, devant le portail vert",
            "latitude": D("45.772310"),
            "longitude": D("3.081900"),
            "key_mode": Vehicle.KeyMode.HAND_TO_HAND,
            "accessories": "Gilet jaune, triangle, roue de secours, câbles de démarrage.",
            "usage_rules": "Non-fumeur. Pas d'animaux sans caisse de transport.",
            "approval_required": True,
            "min_notice_hours": 12,
            "max_booking_hours": 72,
            "buffer_minutes": 30,
        },
        owner_kind=Vehicle.OwnerKind.MEMBER,
        owners=(("camille@villerouge.example", "100"),),
        holder="camille@villerouge.example",
        policy={
            "insurer": "MAIF",
            "policy_number": "VAM-2291-0457",
            "cover": InsurancePolicy.Cover.COMPREHENSIVE,
            "deductible": D("500.00"),
            "young_driver_rule": InsurancePolicy.YoungDriverRule.FORBIDDEN,
            "min_driver_age": 21,
            "min_licence_years": 3,
        },
        tariff={"price_per_km": D("0.300"), "calculated": True},
        roadworthiness_due_in_days=20,
        maintenance=(
            (180, "service", "Vidange et filtres", "189.90"),
            (400, "tyres", "Quatre pneus été", "312.00"),
        ),
    ),
    DemoCar(
        association="villerouge",
        vehicle={
            "name": "Zoé de la mairie",
            "make": "Renault",
            "model": "Zoé",
            "plate": "GK-208-RB",
            "first_registered_on": dt.date(2022, 9, 1),
            "energy": Vehicle.Energy.ELECTRIC,
            "gearbox": Vehicle.Gearbox.AUTOMATIC,
            "parking_place": "Parking de la mairie, borne de recharge n° 2",
            "key_mode": Vehicle.KeyMode.SPARE_KEY,
            "key_arrangement": "Boîte à clés à code sur le mur de la mairie ; papiers dans la "
            "boîte à gants.",
            "usage_rules": "Rebrancher la voiture en rentrant.",
            "approval_required": False,
        },
        owner_kind=Vehicle.OwnerKind.COMMUNE,
        owners=(),
        holder="admin@villerouge.example",
        policy={
            "insurer": "SMACL Assurances",
            "policy_number": "FLOTTE-63-0118",
            "cover": InsurancePolicy.Cover.COMPREHENSIVE,
            "deductible": D("300.00"),
            "young_driver_rule": InsurancePolicy.YoungDriverRule.HIGHER_DEDUCTIBLE,
            "young_driver_deductible": D("800.00"),
            "min_driver_age": 21,
            "min_licence_years": 2,
        },
        tariff={
            "price_per_km": D("0.180"),
            "price_per_hour": D("1.00"),
            "daily_hour_cap": D("10.00"),
        },
        roadworthiness_due_in_days=None,
        maintenance=((90, "tyres", "Pneus hiver", "420.00"),),
    ),
    DemoCar(
        association="villerouge",
        vehicle={
            "name": "Kangoo",
            "make": "Renault",
            "model": "Kangoo",
            "plate": "1234 AB 63",
            "first_registered_on": dt.date(2008, 6, 20),
            "energy": Vehicle.Energy.DIESEL,
            "parking_place": "Cour de la ferme Lefèvre, chemin des Vignes",
            "accessories": "Galerie de toit, sangles, diable pliant.",
            "approval_required": True,
        },
        owner_kind=Vehicle.OwnerKind.CO_OWNERS,
        owners=(("bruno@villerouge.example", "50"), ("camille@villerouge.example", "50")),
        holder="bruno@villerouge.example",
        policy={
            "insurer": "Groupama",
            "policy_number": "GR-77813-K",
            "cover": InsurancePolicy.Cover.THIRD_PARTY,
            "deductible": D("400.00"),
            # Third-party cover: the co-owners' insurer refuses licences under 2 years.
            "young_driver_rule": InsurancePolicy.YoungDriverRule.FORBIDDEN,
            "min_driver_age": 18,
            "min_licence_years": 2,
        },
        tariff={"price_per_km": D("0.220"), "fuel_policy": Tariff.FuelPolicy.REFILL},
        roadworthiness_due_in_days=420,
        maintenance=((60, "repair", "Remplacement de l'embrayage", "740.00"),),
    ),
    DemoCar(
        association="saint-martin",
        vehicle={
            "name": "208 d'Ève",
            "make": "Peugeot",
            "model": "208",
            "plate": "EH-552-PN",
            "first_registered_on": dt.date(2016, 11, 2),
            "energy": Vehicle.Energy.PETROL,
            "parking_place": "Place de l'Église",
        },
        owner_kind=Vehicle.OwnerKind.MEMBER,
        owners=(("eve@saint-martin.example", "100"),),
        holder="eve@saint-martin.example",
        policy={
            "insurer": "MACIF",
            "policy_number": "MC-4410-208",
            "cover": InsurancePolicy.Cover.COMPREHENSIVE,
            "deductible": D("450.00"),
            "young_driver_rule": InsurancePolicy.YoungDriverRule.FORBIDDEN,
            "min_driver_age": 21,
            "min_licence_years": 2,
        },
        tariff={"price_per_km": D("0.280")},
        roadworthiness_due_in_days=200,
    ),
]


def seed(log: Callable[[str], None]) -> None:
    today = local_today(PARIS)
    for car in DEMO_CARS:
        association = Association.objects.get(slug=car.association)
        vehicle = _vehicle(association, car, log)
        _policy(vehicle, car, today)
        _tariffs(vehicle, car, today)
        _roadworthiness(vehicle, car, today)
        _maintenance(vehicle, car, today)


def _member(association: Association, email: str) -> Membership:
    return Membership.objects.get(association=association, user__email=email)


def _vehicle(association: Association, car: DemoCar, log: Callable[[str], None]) -> Vehicle:
    plate = car.vehicle["plate"]
    vehicle, created = Vehicle.objects.get_or_create(
        association=association,
        plate=plate,
        defaults={
            **car.vehicle,
            "owner_kind": car.owner_kind,
            "registration_holder": _member(association, car.holder) if car.holder else None,
        },
    )
    if created:
        for email, share in car.owners:
            VehicleOwnership.objects.create(
                vehicle=vehicle, owner=_member(association, email), share=D(share)
            )
        log(f"vehicle {vehicle.name} ({association.slug})")
    return vehicle


def _policy(vehicle: Vehicle, car: DemoCar, today: dt.date) -> None:
    if vehicle.insurance_policies.exists():
        return
    # Renewed each year; the current year started about seven months ago.
    start = add_months(today, -7)
    InsurancePolicy.objects.create(
        vehicle=vehicle,
        valid_from=start,
        valid_until=add_years(start, 1) - dt.timedelta(days=1),
        **car.policy,
    )


# Two years and more ago the prices were a little lower (the report shows the change).
FIRST_TARIFF_MONTHS = 26
FIRST_PRICE_CUT = D("0.020")


def _tariffs(vehicle: Vehicle, car: DemoCar, today: dt.date) -> None:
    """The current tariff (six months old) and the one before it, in force from the
    association's first year; a car seeded before the demo kept two years of prices gets
    the older one only."""
    existing = list(vehicle.tariffs.order_by("valid_from"))
    if not existing:
        _first_tariff(vehicle, car, add_months(today, -FIRST_TARIFF_MONTHS))
        Tariff.objects.create(
            vehicle=vehicle, valid_from=add_months(today, -6), **_tariff_values(vehicle, car)
        )
    elif len(existing) == 1:
        _first_tariff(vehicle, car, add_months(existing[0].valid_from, 6 - FIRST_TARIFF_MONTHS))


def _first_tariff(vehicle: Vehicle, car: DemoCar, start: dt.date) -> None:
    values = _tariff_values(vehicle, car)
    values["price_per_km"] = car.tariff["price_per_km"] - FIRST_PRICE_CUT
    if "calculation" in values:
        values["calculation"] = {
            **values["calculation"],
            "chosen_price_per_km": str(values["price_per_km"]),
        }
    Tariff.objects.create(vehicle=vehicle, valid_from=start, **values)


def _tariff_values(vehicle: Vehicle, car: DemoCar) -> dict[str, Any]:
    values = {key: value for key, value in car.tariff.items() if key != "calculated"}
    if car.tariff.get("calculated"):
        breakdown = calculate_price_per_km(CLIO_CALCULATION)
        values["depreciation_per_km"] = breakdown.depreciation_per_km
        values["calculation"] = calculation_record(
            energy=vehicle.energy,
            inputs=CLIO_CALCULATION,
            breakdown=breakdown,
            chosen=values["price_per_km"],
        )
    return values


def _roadworthiness(vehicle: Vehicle, car: DemoCar, today: dt.date) -> None:
    if car.roadworthiness_due_in_days is None or vehicle.documents.exists():
        return
    due = today + dt.timedelta(days=car.roadworthiness_due_in_days)
    VehicleDocument.objects.create(
        vehicle=vehicle,
        kind=VehicleDocument.Kind.ROADWORTHINESS,
        issued_on=add_years(due, -2),
        expires_on=due,
    )


def _maintenance(vehicle: Vehicle, car: DemoCar, today: dt.date) -> None:
    if vehicle.maintenance.exists():
        return
    # The main owner advanced the bills of a member's car; the fund pays for the commune's.
    payer = vehicle.ownerships.order_by("-share", "owner_id").first()
    for days_ago, kind, description, cost in car.maintenance:
        MaintenanceEvent.objects.create(
            vehicle=vehicle,
            date=today - dt.timedelta(days=days_ago),
            kind=kind,
            description=description,
            cost=D(cost),
            paid_by=payer.owner if payer else None,
        )
