"""The fleet seen from outside: the cars on the association's public page (registered in
VehiclesConfig.ready()), and the start checklist's step "a first car with its insurance and
its price".

The public page shows what a neighbour needs to decide to join: the model, energy, seats,
gearbox, price and deposit of each active car, and its photo when an owner or an admin
chose to show it. Never a car's own name (it often names its owner), its plate, its
parking place nor its owners.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.timeutils import local_today
from members.checklist import StartStep
from members.models import Association
from vehicles.models import InsurancePolicy, Tariff, Vehicle


@dataclass(frozen=True)
class PublicCar:
    pk: int
    make: str
    model: str
    energy: str
    seats: int
    gearbox: str
    price_per_km: Decimal | None
    price_per_hour: Decimal | None
    fuel_included: bool | None
    deposit: Decimal | None
    photo_url: str


def public_cars(association: Association) -> list[PublicCar]:
    """The association's active cars, as anyone may see them (three queries)."""
    today = local_today(association.tz)
    vehicles = (
        Vehicle.objects.filter(association=association, is_active=True)
        .prefetch_related(
            Prefetch(
                "tariffs",
                queryset=Tariff.objects.filter(valid_from__lte=today).order_by("-valid_from"),
                to_attr="tariffs_in_force",
            ),
            Prefetch(
                "insurance_policies",
                queryset=InsurancePolicy.objects.filter(is_active=True),
                to_attr="active_policies",
            ),
        )
        .order_by("make", "model", "pk")
    )
    return [_public_car(vehicle, association) for vehicle in vehicles]


def _public_car(vehicle: Vehicle, association: Association) -> PublicCar:
    tariffs: list[Tariff] = getattr(vehicle, "tariffs_in_force", [])
    tariff = tariffs[0] if tariffs else None
    policies: list[InsurancePolicy] = getattr(vehicle, "active_policies", [])
    return PublicCar(
        pk=vehicle.pk,
        make=vehicle.make,
        model=vehicle.model,
        energy=vehicle.get_energy_display(),
        seats=vehicle.seats,
        gearbox=vehicle.get_gearbox_display(),
        price_per_km=tariff.price_per_km if tariff else None,
        price_per_hour=tariff.price_per_hour if tariff else None,
        fuel_included=tariff.fuel_policy == Tariff.FuelPolicy.INCLUDED if tariff else None,
        deposit=_deposit(association, policies[0] if policies else None),
        photo_url=_photo_url(vehicle, association),
    )


def _deposit(association: Association, policy: InsurancePolicy | None) -> Decimal | None:
    """The deposit a driver of this car gives, by the association's rule (None: none)."""
    rule = association.deposit_rule
    if rule == Association.DepositRule.NONE:
        return None
    if rule == Association.DepositRule.FIXED:
        deductible = policy.deductible if policy else Decimal("0")
        return max(association.deposit_amount, deductible)
    return policy.deductible if policy else None


def _photo_url(vehicle: Vehicle, association: Association) -> str:
    if not (vehicle.photo and vehicle.photo_public):
        return ""
    return reverse("vehicles:public_photo", kwargs={"slug": association.slug, "pk": vehicle.pk})


def public_section(association: Association) -> dict[str, Any] | None:
    """The cars' block of the public page."""
    return {"cars": public_cars(association)}


def get_public_photo_vehicle(slug: str, pk: int) -> Vehicle:
    """An active car whose photo is shown on the public page of a public association, or 404."""
    vehicle = (
        Vehicle.objects.select_related("association")
        .filter(
            pk=pk,
            association__slug=slug,
            association__public_page=True,
            association__suspended_at__isnull=True,
            is_active=True,
            photo_public=True,
        )
        .exclude(photo="")
        .first()
    )
    if vehicle is None:
        raise Http404
    return vehicle


# --- The start checklist -------------------------------------------------------------------


def _first_car(association: Association) -> Vehicle | None:
    """The active car closest to being ready: insured and priced first."""
    cars = Vehicle.objects.filter(association=association, is_active=True).annotate(
        insured=Exists(InsurancePolicy.objects.filter(vehicle=OuterRef("pk"), is_active=True)),
        priced=Exists(Tariff.objects.filter(vehicle=OuterRef("pk"))),
    )
    return cars.order_by("-insured", "-priced", "pk").first()


def _first_car_done(association: Association) -> bool:
    car = _first_car(association)
    return car is not None and getattr(car, "insured", False) and getattr(car, "priced", False)


def _first_car_url(association: Association) -> str:
    car, slug = _first_car(association), association.slug
    if car is None:
        return reverse("vehicles:create", kwargs={"slug": slug})
    if not getattr(car, "insured", False):
        return reverse("vehicles:policy_add", kwargs={"slug": slug, "pk": car.pk})
    if not getattr(car, "priced", False):
        return reverse("vehicles:tariff_add", kwargs={"slug": slug, "pk": car.pk})
    return reverse("vehicles:detail", kwargs={"slug": slug, "pk": car.pk})


FIRST_CAR_STEP = StartStep(
    name="first_car",
    order=20,
    label=_("A first car, with its insurance and its price per km"),
    hint=_(
        "Describe the car, then record its insurance policy (deductible, young drivers) and "
        "its tariff; the calculator helps you set a fair price."
    ),
    url=_first_car_url,
    is_done=_first_car_done,
)
