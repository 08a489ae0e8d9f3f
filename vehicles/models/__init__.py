"""The shared fleet: vehicles, who owns them, their insurance, documents, upkeep and tariff."""

from vehicles.models.insurance import InsurancePolicy
from vehicles.models.records import MaintenanceEvent, VehicleDocument
from vehicles.models.tariff import Tariff
from vehicles.models.vehicle import Vehicle, VehicleOwnership

__all__ = [
    "InsurancePolicy",
    "MaintenanceEvent",
    "Tariff",
    "Vehicle",
    "VehicleDocument",
    "VehicleOwnership",
]
