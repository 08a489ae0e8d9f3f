"""Data for bench/nightly_scans.py, written with bulk inserts: associations, members with
driver profiles, vehicles with insurance and roadworthiness tests, and future bookings.

Dates are spread evenly over the years around the scan day, so that the share of rows due
on that day is what a real association sees (a licence lasts 15 years, an insurance policy
a year, a test two years, a probation two or three years)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from contracts.context import agreement_terms
from contracts.models import Agreement
from members.models import Association, DriverProfile, Membership, User
from vehicles.models import InsurancePolicy, Tariff, Vehicle, VehicleDocument, VehicleOwnership

MEMBERS_PER_VEHICLE = 10
AGREEMENTS_PER_VEHICLE = 5


def seed(*, members: int, bookings: int, associations: int) -> dict[str, int]:
    today = timezone.localdate()
    created = _associations(associations)
    memberships = _members(created, members, today)
    vehicles = _vehicles(memberships, len(created), today)
    return {
        "associations": len(created),
        "members": len(memberships),
        "vehicles": len(vehicles),
        "agreements": _agreements(vehicles, memberships, today),
        "bookings": _bookings(vehicles, memberships, bookings, today),
    }


def _associations(count: int) -> list[Association]:
    rows = [
        Association(
            name=f"Autopartage bench {index}",
            slug=f"bench-{index}",
            commune=f"Commune {index}",
            membership_fee=Decimal("20.00"),
        )
        for index in range(count)
    ]
    return Association.objects.bulk_create(rows)


def _members(associations: list[Association], count: int, today: dt.date) -> list[Membership]:
    password = make_password("bench-carshare")
    users = User.objects.bulk_create(
        [
            User(email=f"member{index}@bench.example", password=password, first_name=f"M{index}")
            for index in range(count)
        ]
    )
    memberships = Membership.objects.bulk_create(
        [
            Membership(
                user=user,
                association=associations[index % len(associations)],
                role=Membership.Role.ADMIN if index < 2 * len(associations) else "member",
                status=Membership.Status.ACTIVE,
                joined_on=today - dt.timedelta(days=400),
                fee_paid_until=today + dt.timedelta(days=index % 365 - 30),
            )
            for index, user in enumerate(users)
        ]
    )
    DriverProfile.objects.bulk_create(
        [_profile(user, index, today) for index, user in enumerate(users)]
    )
    return memberships


def _profile(user: User, index: int, today: dt.date) -> DriverProfile:
    """Ages from 18 to 78; licences from a day to the 17th birthday ago (a tenth of them
    still probationary); expiries over the next 15 years and the last month."""
    age_days = 365 * 18 + (index * 37) % (365 * 60)
    held_days = 1 + (index * 11) % (age_days - 365 * 17)
    return DriverProfile(
        user=user,
        birth_date=today - dt.timedelta(days=age_days),
        licence_number=f"B{index:010d}",
        licence_issued_on=today - dt.timedelta(days=held_days),
        licence_expires_on=today + dt.timedelta(days=(index * 7) % (365 * 15) - 30),
        accompanied_driving=index % 3 == 0,
        post_licence_training=index % 5 == 0,
    )


def _vehicles(memberships: list[Membership], associations: int, today: dt.date) -> list[Vehicle]:
    # Members are dealt to the associations in turn: every tenth member of each association
    # (its first one, an admin, included) owns a car, so every association has its fleet.
    owners = [
        membership
        for index, membership in enumerate(memberships)
        if index // associations % MEMBERS_PER_VEHICLE == 0
    ]
    vehicles = Vehicle.objects.bulk_create(
        [
            Vehicle(
                association_id=owner.association_id,
                name=f"Voiture {index}",
                make="Renault",
                model="Clio",
                plate=f"BE-{index:03d}-{chr(65 + index // 1000)}H",
                energy=Vehicle.Energy.PETROL,
            )
            for index, owner in enumerate(owners)
        ]
    )
    VehicleOwnership.objects.bulk_create(
        [
            VehicleOwnership(vehicle=vehicle, owner=owner, share=Decimal("100"))
            for vehicle, owner in zip(vehicles, owners, strict=True)
        ]
    )
    InsurancePolicy.objects.bulk_create(
        [
            InsurancePolicy(
                vehicle=vehicle,
                insurer="MAIF",
                policy_number=f"P{index}",
                cover=InsurancePolicy.Cover.COMPREHENSIVE,
                valid_from=today - dt.timedelta(days=300),
                # A twentieth of the policies end within the month, the others next year.
                valid_until=today
                + dt.timedelta(days=index % 40 - 10 if index % 20 == 0 else 300 + index),
                deductible=Decimal("500.00"),
                young_driver_rule=InsurancePolicy.YoungDriverRule.FORBIDDEN
                if index % 5 == 0
                else InsurancePolicy.YoungDriverRule.ALLOWED,
            )
            for index, vehicle in enumerate(vehicles)
        ]
    )
    Tariff.objects.bulk_create(
        [
            Tariff(vehicle=vehicle, valid_from=today - dt.timedelta(days=300), price_per_km="0.30")
            for vehicle in vehicles
        ]
    )
    VehicleDocument.objects.bulk_create(
        [
            VehicleDocument(
                vehicle=vehicle,
                kind=VehicleDocument.Kind.ROADWORTHINESS,
                issued_on=today - dt.timedelta(days=400),
                expires_on=today + dt.timedelta(days=(index * 3) % 730 - 10),
            )
            for index, vehicle in enumerate(vehicles)
        ]
    )
    return vehicles


def _agreements(vehicles: list[Vehicle], memberships: list[Membership], today: dt.date) -> int:
    """Each car's other drivers of its association sign an agreement; then a tenth of the
    cars change their deductible, which the nightly check finds."""
    by_association: dict[int, list[Membership]] = {}
    for membership in memberships:
        by_association.setdefault(membership.association_id, []).append(membership)
    policies = {p.vehicle_id: p for p in InsurancePolicy.objects.filter(vehicle__in=vehicles)}
    tariffs = {t.vehicle_id: t for t in Tariff.objects.filter(vehicle__in=vehicles)}
    rows = []
    for vehicle in vehicles:
        terms = agreement_terms(policies[vehicle.pk], tariffs[vehicle.pk], vehicle)
        drivers = by_association[vehicle.association_id][1 : AGREEMENTS_PER_VEHICLE + 1]
        rows += [
            Agreement(
                association_id=vehicle.association_id,
                vehicle=vehicle,
                driver=driver,
                status=Agreement.Status.SIGNED,
                template_label="default",
                template_sha256="0" * 64,
                terms=terms,
                pdf="bench/agreement.pdf",
                pdf_sha256="0" * 64,
                generated_at=timezone.now(),
                signed_on=today - dt.timedelta(days=100),
            )
            for driver in drivers
        ]
    Agreement.objects.bulk_create(rows, batch_size=500)
    changed = [vehicle.pk for vehicle in vehicles[::10]]
    InsurancePolicy.objects.filter(vehicle_id__in=changed).update(deductible=Decimal("900.00"))
    return len(rows)


def _bookings(
    vehicles: list[Vehicle], memberships: list[Membership], count: int, today: dt.date
) -> int:
    """Future bookings over the next months, about as many per car, three hours each, a
    day and an hour apart (no overlap); a twentieth still waits for the owner's approval."""
    from bookings.models import Booking

    by_association: dict[int, list[Membership]] = {}
    for membership in memberships:
        by_association.setdefault(membership.association_id, []).append(membership)
    first = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    rows = []
    for index in range(count):
        vehicle = vehicles[index % len(vehicles)]
        drivers = by_association[vehicle.association_id]
        start = first + (index // len(vehicles)) * dt.timedelta(days=1, hours=1)
        end = start + dt.timedelta(hours=3)
        rows.append(
            Booking(
                vehicle=vehicle,
                driver=drivers[1 + index % AGREEMENTS_PER_VEHICLE],
                start=start,
                end=end,
                blocks_until=end,
                status=Booking.Status.REQUESTED if index % 20 == 0 else Booking.Status.CONFIRMED,
            )
        )
    Booking.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
