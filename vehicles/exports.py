"""The fleet's sections of the exports (registered in VehiclesConfig.ready(), see
members/exports.py): the association's vehicles with their papers and files for its
admins; the vehicles a person owns for "export my data"."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath

from django.db.models.fields.files import FieldFile

from members.exports import ExportFile, csv_file, json_file
from members.models import Association, User
from vehicles.models import (
    InsurancePolicy,
    MaintenanceEvent,
    Tariff,
    Vehicle,
    VehicleDocument,
    VehicleOwnership,
)

VEHICLE_COLUMNS = (
    "id", "name", "make", "model", "plate", "first_registered_on", "energy", "gearbox", "seats",
    "parking_place", "latitude", "longitude", "key_mode", "key_arrangement", "accessories",
    "usage_rules", "usual_radius_km", "is_active", "owner_kind", "registration_holder",
    "approval_required", "drivers_restricted", "min_notice_hours", "max_booking_hours",
    "buffer_minutes",
)  # fmt: skip
POLICY_COLUMNS = (
    "id", "vehicle", "insurer", "policy_number", "cover", "valid_from", "valid_until",
    "deductible", "young_driver_rule", "young_driver_deductible", "min_driver_age",
    "min_licence_years", "substitute_policy", "is_active",
)  # fmt: skip
DOCUMENT_COLUMNS = ("id", "vehicle", "kind", "issued_on", "expires_on")
MAINTENANCE_COLUMNS = ("id", "vehicle", "date", "odometer", "kind", "description", "cost")
TARIFF_COLUMNS = (
    "vehicle", "valid_from", "price_per_km", "price_per_hour", "daily_hour_cap", "fuel_policy",
    "depreciation_per_km",
)  # fmt: skip


def association_files(association: Association) -> Iterator[ExportFile]:
    """Vehicles, owners, policies, documents, maintenance and tariffs as CSV (the calculator
    inputs as JSON), then the stored files (photos, certificates, papers, receipts)."""
    vehicles = Vehicle.objects.filter(association=association).order_by("pk")
    yield csv_file("vehicles.csv", VEHICLE_COLUMNS, _rows(vehicles, VEHICLE_COLUMNS))
    owners = VehicleOwnership.objects.filter(vehicle__association=association).order_by("pk")
    yield csv_file(
        "owners.csv",
        ("vehicle", "owner_email", "share"),
        ((o.vehicle_id, o.owner.user.email, o.share) for o in owners.select_related("owner__user")),
    )
    for name, model, columns in (
        ("insurance_policies.csv", InsurancePolicy, POLICY_COLUMNS),
        ("documents.csv", VehicleDocument, DOCUMENT_COLUMNS),
        ("maintenance.csv", MaintenanceEvent, MAINTENANCE_COLUMNS),
        ("tariffs.csv", Tariff, TARIFF_COLUMNS),
    ):
        rows = model.objects.filter(vehicle__association=association).order_by("pk")
        yield csv_file(name, columns, _rows(rows, columns))
    tariffs = Tariff.objects.filter(vehicle__association=association).exclude(calculation={})
    yield json_file(
        "tariff_calculations.json",
        [{"vehicle": t.vehicle_id, "valid_from": t.valid_from, **t.calculation} for t in tariffs],
    )
    yield from _stored_files(association)


def personal_files(user: User) -> Iterable[ExportFile]:
    """The vehicles the person owns or co-owns, in every association."""
    shares = VehicleOwnership.objects.filter(owner__user=user).select_related(
        "vehicle__association"
    )
    rows = ((s.vehicle.association.slug, s.vehicle.name, s.vehicle.plate, s.share) for s in shares)
    yield csv_file("owned_vehicles.csv", ("association", "vehicle", "plate", "share"), rows)


def _rows(queryset: Iterable[object], columns: Iterable[str]) -> Iterator[list[object]]:
    names = list(columns)
    for row in queryset:
        yield [_value(row, name) for name in names]


def _value(row: object, name: str) -> object:
    # Foreign keys by id: the export is read next to the other CSV files.
    return getattr(row, f"{name}_id", None) if hasattr(row, f"{name}_id") else getattr(row, name)


def _stored_files(association: Association) -> Iterator[ExportFile]:
    for vehicle in Vehicle.objects.filter(association=association).exclude(photo=""):
        yield from _file(f"files/vehicle-{vehicle.pk}-photo", vehicle.photo)
    for policy in InsurancePolicy.objects.filter(vehicle__association=association):
        yield from _file(f"files/insurance-{policy.pk}", policy.certificate)
    for document in VehicleDocument.objects.filter(vehicle__association=association):
        yield from _file(f"files/document-{document.pk}-{document.kind}", document.file)
    for event in MaintenanceEvent.objects.filter(vehicle__association=association):
        yield from _file(f"files/receipt-{event.pk}", event.receipt)


def _file(stem: str, field_file: FieldFile) -> Iterator[ExportFile]:
    if not field_file:
        return
    suffix = PurePosixPath(field_file.name or "").suffix
    try:
        with field_file.open("rb") as handle:
            yield ExportFile(f"{stem}{suffix}", handle.read())
    except FileNotFoundError:  # a file lost from storage: the rest of the export still counts
        return
