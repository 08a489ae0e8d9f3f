from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories.members import AssociationFactory
from vehicles.models import (
    InsurancePolicy,
    MaintenanceEvent,
    Tariff,
    Vehicle,
    VehicleDocument,
    VehicleOwnership,
)

# The smallest files that pass core.files.validate_upload (checked by their first bytes).
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def pdf_upload(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle

    association = factory.SubFactory(AssociationFactory)
    name = factory.Sequence(lambda n: f"Voiture {n}")
    make = "Renault"
    model = "Clio"
    # SIV letters never include I, O or U; the sequence walks A–H (8 × 999 plates).
    plate = factory.Sequence(lambda n: f"AB-{n % 999 + 1:03d}-{chr(65 + n // 999 % 8)}C")
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


class VehicleDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VehicleDocument

    vehicle = factory.SubFactory(VehicleFactory)
    kind = VehicleDocument.Kind.ROADWORTHINESS
    issued_on = dt.date(2024, 6, 1)
    expires_on = dt.date(2026, 6, 1)


class MaintenanceEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaintenanceEvent

    vehicle = factory.SubFactory(VehicleFactory)
    date = dt.date(2025, 3, 10)
    odometer = 84_210
    kind = MaintenanceEvent.Kind.SERVICE
    cost = Decimal("189.90")


def owned_vehicle(owner, **kwargs) -> Vehicle:
    """A vehicle of the owner's association, owned 100 % by them, insured, with a tariff."""
    vehicle = VehicleFactory(association=owner.association, **kwargs)
    VehicleOwnershipFactory(vehicle=vehicle, owner=owner)
    InsurancePolicyFactory(vehicle=vehicle)
    TariffFactory(vehicle=vehicle)
    return vehicle
