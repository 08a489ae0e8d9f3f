"""Reads of the fleet, always starting from an association or a vehicle."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Prefetch, QuerySet, Sum

from core.timeutils import local_today
from members.models import Association, DriverProfile, Membership
from vehicles.corrections import Correction, record_corrections
from vehicles.models import (
    InsurancePolicy,
    MaintenanceEvent,
    Tariff,
    Vehicle,
    VehicleDocument,
    VehicleOwnership,
)
from vehicles.status import StatusBadge, status_badges


def vehicles_of_association(association: Association) -> QuerySet[Vehicle]:
    return Vehicle.objects.filter(association=association)


def active_policy(vehicle: Vehicle) -> InsurancePolicy | None:
    """The vehicle's active insurance policy (there is at most one), valid or not."""
    return vehicle.insurance_policies.filter(is_active=True).first()


def tariff_on(vehicle: Vehicle, day: dt.date) -> Tariff | None:
    """The tariff in force on `day`: the latest one whose `valid_from` is not after it."""
    return vehicle.tariffs.filter(valid_from__lte=day).order_by("-valid_from").first()


def ownership_shares(vehicle: Vehicle) -> list[VehicleOwnership]:
    """Owner members with their shares, in a stable order (largest share first, then id).

    Empty for vehicles owned by the association or the commune.
    """
    return list(vehicle.ownerships.select_related("owner__user").order_by("-share", "owner_id"))


@dataclass(frozen=True)
class OwnerContact:
    name: str
    phone: str


def owner_contacts(vehicle: Vehicle) -> list[OwnerContact]:
    """The owner members' names and phones, largest share first (for the booking's driver,
    owners and admins: the booking page is theirs only)."""
    return [
        OwnerContact(share.owner.user.display_name, share.owner.user.phone)
        for share in ownership_shares(vehicle)
    ]


def is_owner(membership: Membership, vehicle: Vehicle) -> bool:
    """Whether the member owns (or co-owns) the vehicle; uses prefetched shares if present."""
    prefetched = getattr(vehicle, "_prefetched_objects_cache", {}).get("ownerships")
    if prefetched is not None:
        return any(share.owner_id == membership.pk for share in prefetched)
    return vehicle.ownerships.filter(owner=membership).exists()


def latest_roadworthiness(vehicle: Vehicle) -> VehicleDocument | None:
    """The roadworthiness test with the latest next due date (the one that counts)."""
    return _roadworthiness_documents().filter(vehicle=vehicle).first()


def upcoming_tariffs(vehicle: Vehicle, day: dt.date) -> list[Tariff]:
    """Tariffs that start after `day`, earliest first (announced price changes)."""
    return list(vehicle.tariffs.filter(valid_from__gt=day).order_by("valid_from"))


def maintenance_costs(vehicle: Vehicle, *, start: dt.date, end: dt.date) -> Decimal:
    """Total cost of the maintenance events dated in [start, end)."""
    total = MaintenanceEvent.objects.filter(
        vehicle=vehicle, date__gte=start, date__lt=end
    ).aggregate(total=Sum("cost"))["total"]
    return total if total is not None else Decimal("0.00")


def holds_valid_licence(membership: Membership) -> bool:
    """Whether the member's driver profile shows a licence valid today (association's day)."""
    profile = DriverProfile.objects.filter(user_id=membership.user_id).first()
    if profile is None or profile.licence_issued_on is None:
        return False
    return profile.licence_valid_on(local_today(membership.association.tz))


@dataclass(frozen=True)
class BookingRules:
    """What the owner's controls mean for one member booking one vehicle.

    The owners' own bookings are free: no approval, no notice, no length limit, no
    per-km charge (they bear the costs directly). The buffer applies to everyone.
    """

    may_book: bool
    needs_approval: bool
    min_notice_hours: int
    max_booking_hours: int | None
    buffer_minutes: int
    charged: bool


def booking_rules(vehicle: Vehicle, membership: Membership) -> BookingRules:
    """The owner controls that apply when `membership` books `vehicle`."""
    if is_owner(membership, vehicle):
        return BookingRules(
            may_book=True,
            needs_approval=False,
            min_notice_hours=0,
            max_booking_hours=None,
            buffer_minutes=vehicle.buffer_minutes,
            charged=False,
        )
    return BookingRules(
        may_book=vehicle.is_active and is_allowed_driver(vehicle, membership),
        needs_approval=vehicle.approval_required,
        min_notice_hours=vehicle.min_notice_hours,
        max_booking_hours=vehicle.max_booking_hours,
        buffer_minutes=vehicle.buffer_minutes,
        charged=True,
    )


def is_allowed_driver(vehicle: Vehicle, membership: Membership) -> bool:
    """Everyone may drive unless the owner restricted the car to a list (owners always may)."""
    if not vehicle.drivers_restricted or is_owner(membership, vehicle):
        return True
    return vehicle.allowed_drivers.filter(pk=membership.pk).exists()


def vehicle_approvers(vehicle: Vehicle) -> list[Membership]:
    """Who approves bookings: the owner members, or the association's admins for a car
    owned by the association or the commune."""
    owners = [share.owner for share in ownership_shares(vehicle)]
    if owners:
        return owners
    return list(
        Membership.objects.filter(
            association_id=vehicle.association_id,
            role=Membership.Role.ADMIN,
            status=Membership.Status.ACTIVE,
        ).select_related("user")
    )


@dataclass
class VehicleSummary:
    """A vehicle with what its pages and the API show: policy, tariff, test, badges."""

    vehicle: Vehicle
    policy: InsurancePolicy | None
    tariff: Tariff | None
    roadworthiness: VehicleDocument | None
    owners: list[VehicleOwnership]
    badges: list[StatusBadge] = field(default_factory=list)
    can_manage: bool = False


def fleet_summaries(
    association: Association,
    membership: Membership,
    today: dt.date,
    vehicles: QuerySet[Vehicle] | None = None,
) -> list[VehicleSummary]:
    """Every vehicle of the association (or of `vehicles`, within it) with its summary, in a
    constant number of queries (none but the first when there is no vehicle)."""
    chosen = vehicles_of_association(association)
    if vehicles is not None:
        chosen = chosen.filter(pk__in=vehicles.values("pk"))
    found = list(_with_summary_data(chosen, today))
    return [_summary(vehicle, membership, today) for vehicle in found]


def owned_vehicles(membership: Membership) -> QuerySet[Vehicle]:
    """The vehicles the member owns or co-owns."""
    return Vehicle.objects.filter(ownerships__owner=membership)


def vehicle_summary(vehicle: Vehicle, membership: Membership, today: dt.date) -> VehicleSummary:
    """One vehicle's summary, as seen by `membership` on `today`."""
    fetched = _with_summary_data(Vehicle.objects.filter(pk=vehicle.pk), today).get()
    return _summary(fetched, membership, today)


def _with_summary_data(vehicles: QuerySet[Vehicle], today: dt.date) -> QuerySet[Vehicle]:
    return vehicles.prefetch_related(
        Prefetch(
            "insurance_policies",
            queryset=InsurancePolicy.objects.filter(is_active=True),
            to_attr="prefetched_active_policies",
        ),
        Prefetch(
            "documents",
            queryset=_roadworthiness_documents(),
            to_attr="prefetched_roadworthiness",
        ),
        Prefetch(
            "tariffs",
            queryset=Tariff.objects.filter(valid_from__lte=today).order_by("-valid_from"),
            to_attr="prefetched_tariffs",
        ),
        Prefetch(
            "ownerships",
            queryset=VehicleOwnership.objects.select_related("owner__user").order_by(
                "-share", "owner_id"
            ),
        ),
        Prefetch("allowed_drivers", queryset=Membership.objects.select_related("user")),
        Prefetch("documents", queryset=VehicleDocument.objects.order_by("-uploaded_at", "-pk")),
    ).select_related("registration_holder__user")


def _summary(vehicle: Vehicle, membership: Membership, today: dt.date) -> VehicleSummary:
    policies: list[InsurancePolicy] = vehicle.prefetched_active_policies  # type: ignore[attr-defined]
    tests: list[VehicleDocument] = vehicle.prefetched_roadworthiness  # type: ignore[attr-defined]
    tariffs: list[Tariff] = vehicle.prefetched_tariffs  # type: ignore[attr-defined]
    policy = policies[0] if policies else None
    test = tests[0] if tests else None
    badges = status_badges(
        is_active=vehicle.is_active,
        policy_dates=(policy.valid_from, policy.valid_until) if policy else None,
        roadworthiness_due_on=test.expires_on if test else None,
        today=today,
    )
    return VehicleSummary(
        vehicle=vehicle,
        policy=policy,
        tariff=tariffs[0] if tariffs else None,
        roadworthiness=test,
        owners=list(vehicle.ownerships.all()),
        badges=badges,
        can_manage=membership.is_admin or is_owner(membership, vehicle),
    )


def _roadworthiness_documents() -> QuerySet[VehicleDocument]:
    return VehicleDocument.objects.filter(kind=VehicleDocument.Kind.ROADWORTHINESS).order_by(
        F("expires_on").desc(nulls_last=True), "-uploaded_at", "-pk"
    )


@dataclass(frozen=True)
class VehicleRecords:
    """A vehicle's papers, for its owners and the admins: newest first."""

    policies: list[InsurancePolicy]
    documents: list[VehicleDocument]
    maintenance: list[MaintenanceEvent]
    tariffs: list[Tariff]
    # "maintenance:<id>" -> the record's corrections, oldest first
    corrections: dict[str, list[Correction]]


def vehicle_records(vehicle: Vehicle) -> VehicleRecords:
    """Insurance history, documents, maintenance and tariff history of one vehicle."""
    return VehicleRecords(
        policies=list(vehicle.insurance_policies.order_by("-is_active", "-valid_from", "-pk")),
        documents=list(vehicle.documents.order_by("-uploaded_at", "-pk")),
        maintenance=list(
            vehicle.maintenance.select_related("paid_by__user").order_by("-date", "-pk")
        ),
        tariffs=list(vehicle.tariffs.order_by("-valid_from")),
        corrections=record_corrections(vehicle),
    )
