"""The triggers that bump an association's home version (members.db) on every write of its
cars and of what the home page shows of them: owners, insurance, documents (the
roadworthiness test), tariffs (the start checklist's priced car)."""

from __future__ import annotations

from members.db import home_version_trigger

# The association of a row that names its car (a car deleted first: NULL, nothing to bump;
# the car's own DELETE bumped it).
VIA_VEHICLE = "(SELECT association_id FROM vehicles_vehicle WHERE id = {row}.vehicle_id)"

VERSION_TRIGGERS = (
    home_version_trigger("vehicles_vehicle", "{row}.association_id"),
    home_version_trigger("vehicles_vehicleownership", VIA_VEHICLE),
    home_version_trigger("vehicles_insurancepolicy", VIA_VEHICLE),
    home_version_trigger("vehicles_vehicledocument", VIA_VEHICLE),
    home_version_trigger("vehicles_tariff", VIA_VEHICLE),
)
