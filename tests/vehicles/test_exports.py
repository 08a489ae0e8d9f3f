import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest

from members.exports import write_association_export, write_personal_export
from tests.factories.vehicles import (
    PDF_BYTES,
    PNG_BYTES,
    MaintenanceEventFactory,
    VehicleDocumentFactory,
    VehicleFactory,
    owned_vehicle,
    pdf_upload,
    png_upload,
)
from tests.vehicles.test_calculator import ISSUE_CASE
from vehicles import services

pytestmark = pytest.mark.django_db


def _zip(handle):
    return zipfile.ZipFile(io.BytesIO(handle.read()))


def _csv(archive, name):
    text = archive.read(name).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_the_association_export_has_the_fleet_and_its_files(association, member, other_association):
    vehicle = owned_vehicle(member, photo=png_upload())
    VehicleDocumentFactory(vehicle=vehicle, file=pdf_upload())
    MaintenanceEventFactory(vehicle=vehicle)
    services.save_calculated_tariff(
        actor=member,
        vehicle=vehicle,
        inputs=ISSUE_CASE,
        chosen_price_per_km=Decimal("0.30"),
        valid_from=dt.date(2099, 1, 1),
    )
    VehicleFactory(association=other_association, name="Ailleurs")
    archive = _zip(write_association_export(association))
    vehicles = _csv(archive, "vehicles/vehicles.csv")
    assert [(row["name"], row["plate"]) for row in vehicles] == [(vehicle.name, vehicle.plate)]
    assert _csv(archive, "vehicles/owners.csv")[0]["owner_email"] == member.user.email
    assert _csv(archive, "vehicles/insurance_policies.csv")[0]["deductible"] == "500.00"
    assert _csv(archive, "vehicles/maintenance.csv")[0]["cost"] == "189.90"
    assert len(_csv(archive, "vehicles/tariffs.csv")) == 2
    assert b'"total_per_km": "0.299"' in archive.read("vehicles/tariff_calculations.json")
    assert archive.read(f"vehicles/files/vehicle-{vehicle.pk}-photo.png") == PNG_BYTES
    documents = [n for n in archive.namelist() if n.startswith("vehicles/files/document-")]
    assert [archive.read(n) for n in documents] == [PDF_BYTES]


def test_a_lost_file_leaves_the_rest_of_the_export(association, member):
    vehicle = owned_vehicle(member, photo=png_upload())
    vehicle.photo.storage.delete(vehicle.photo.name)
    archive = _zip(write_association_export(association))
    assert "vehicles/vehicles.csv" in archive.namelist()
    assert not [n for n in archive.namelist() if n.startswith("vehicles/files/")]


def test_the_personal_export_lists_the_cars_the_person_owns(member):
    vehicle = owned_vehicle(member)
    archive = _zip(write_personal_export(member.user))
    rows = _csv(archive, "vehicles/owned_vehicles.csv")
    assert rows == [
        {
            "association": member.association.slug,
            "vehicle": vehicle.name,
            "plate": vehicle.plate,
            "share": "100.00",
        }
    ]
