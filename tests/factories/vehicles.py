from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from tests.factories.members import AssociationFactory
from vehicles.models import InsurancePolicy, Tariff, Vehicle, VehicleOwnership


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle

    association = factory.SubFactory(AssociationFactory)
    name = factory.Sequence(lambda n: f"Voiture {n}")
    make = "Renault"
    model = "Clio"
    plate = factory.Sequence(lambda n: f"AB-{n % 1000:03d}-{chr(65 + n // 1000 % 26)}C")
    first_registered_on = dt.date(2018, 4, 12)
    energy = Vehicle.Energy.PETROL
    parking_place = "Place de la mairie"


class VehicleOwnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VehicleOwnership

    vehicle = factory.SubFactory(VehicleFactory)
    share = Decimal("100")


class InsurancePolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InsurancePolicy

    vehicle = factory.SubFactory(VehicleFactory)
    insurer = "MAIF"
    policy_number = factory.Sequence(lambda n: f"POL-{n:06d}")
    cover = InsurancePolicy.Cover.COMPREHENSIVE
    valid_from = dt.date(2020, 1, 1)
    valid_until = None  # open-ended, so that tests at any frozen date see a valid policy
    deductible = Decimal("500.00")
    young_driver_rule = InsurancePolicy.YoungDriverRule.ALLOWED
    min_driver_age = 18
    min_licence_years = 0


class TariffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tariff

    vehicle = factory.SubFactory(VehicleFactory)
    valid_from = dt.date(2025, 1, 1)
    price_per_km = Decimal("0.300")
    fuel_policy = Tariff.FuelPolicy.INCLUDED


def owned_vehicle(owner, **kwargs) -> Vehicle:
    """A vehicle of the owner's association, owned 100 % by them, insured, with a tariff."""
    vehicle = VehicleFactory(association=owner.association, **kwargs)
    VehicleOwnershipFactory(vehicle=vehicle, owner=owner)
    InsurancePolicyFactory(vehicle=vehicle)
    TariffFactory(vehicle=vehicle)
    return vehicle
