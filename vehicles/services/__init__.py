"""Every write of the fleet (see docs/ARCHITECTURE.md, "Services")."""

from vehicles.services.fleet import (
    VEHICLE_FIELDS,
    OwnershipPlan,
    create_vehicle,
    set_vehicle_ownership,
    update_vehicle,
)
from vehicles.services.records import (
    add_insurance_policy,
    add_vehicle_document,
    correct_insurance_policy,
    correct_maintenance,
    correct_vehicle_document,
    record_maintenance,
)
from vehicles.services.tariffs import create_tariff, save_calculated_tariff

__all__ = [
    "VEHICLE_FIELDS",
    "OwnershipPlan",
    "add_insurance_policy",
    "add_vehicle_document",
    "correct_insurance_policy",
    "correct_maintenance",
    "correct_vehicle_document",
    "create_tariff",
    "create_vehicle",
    "record_maintenance",
    "save_calculated_tariff",
    "set_vehicle_ownership",
    "update_vehicle",
]
