"""Demo agreements, signed: bruno@ x Clio, bruno@ x Zoé, bruno@ x Kangoo, lea@ x Zoé and
camille@ x Zoé; none for lea@ x Clio (so that the demo shows a member without one).

The cars come from vehicles/demo.py; a car or a person that is missing is logged and
skipped, so seed_demo never fails here. Idempotent: a pair that already has an agreement
in force is left alone. (seed_demo runs in one transaction, so these PDFs are rendered
inside it: acceptable for a development command, never done by the services.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from contracts.models import Agreement
from contracts.services import generate_agreement, record_agreement_signature
from core.errors import DomainError
from core.timeutils import local_today
from members.models import Association, Membership
from vehicles.models import Vehicle

ASSOCIATION = "villerouge"
SIGNER = "admin@villerouge.example"
# (driver e-mail, vehicle name, keyword to find the vehicle if it was renamed)
SIGNED = [
    ("bruno@villerouge.example", "Clio", "clio"),
    ("bruno@villerouge.example", "Zoé de la mairie", "zoé"),
    ("bruno@villerouge.example", "Kangoo", "kangoo"),
    ("lea@villerouge.example", "Zoé de la mairie", "zoé"),
    ("camille@villerouge.example", "Zoé de la mairie", "zoé"),
]

# The demo's agreements were signed a month ago, before its first past trip (20 days ago).
SIGNED_BEFORE = dt.timedelta(days=30)


def seed(log: Callable[[str], None]) -> None:
    association = Association.objects.filter(slug=ASSOCIATION).first()
    signer = Membership.objects.filter(association=association, user__email=SIGNER).first()
    if association is None or signer is None:
        log("contracts: no villerouge association or admin, no demo agreement")
        return
    for email, vehicle_name, keyword in SIGNED:
        vehicle = find_vehicle(association, vehicle_name, keyword)
        driver = Membership.objects.filter(association=association, user__email=email).first()
        if vehicle is None or driver is None:
            log(f"contracts: skipped {email} x {vehicle_name} (not in the demo data)")
            continue
        _signed_agreement(vehicle, driver, signer, log)


def find_vehicle(association: Association, name: str, keyword: str) -> Vehicle | None:
    vehicles = Vehicle.objects.filter(association=association)
    return (
        vehicles.filter(name__iexact=name).first()
        or vehicles.filter(name__icontains=keyword).order_by("id").first()
    )


def _signed_agreement(
    vehicle: Vehicle, driver: Membership, signer: Membership, log: Callable[[str], None]
) -> None:
    in_force = Agreement.objects.filter(
        vehicle=vehicle, driver=driver, status__in=Agreement.IN_FORCE
    )
    if in_force.exists():
        return
    try:
        agreement = generate_agreement(actor=signer, vehicle=vehicle, driver=driver)
        # Signed before the demo's past trips (bookings/demo.py), which the logbook checks.
        agreement.generated_at -= SIGNED_BEFORE
        agreement.save(update_fields=["generated_at"])
        record_agreement_signature(
            actor=signer,
            agreement=agreement,
            signed_on=local_today(vehicle.association.tz) - SIGNED_BEFORE,
        )
    except DomainError as error:
        log(f"contracts: skipped {driver.user.email} x {vehicle.name}: {error.message}")
        return
    log(f"agreement {driver.user.email} x {vehicle.name} (signed)")
