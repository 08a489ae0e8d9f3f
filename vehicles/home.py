"""The fleet's section of the association home page (registered in VehiclesConfig.ready()):
the cars the member manages that need attention (insurance, roadworthiness test)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, OuterRef, Subquery

from core.timeutils import local_today
from members.models import Membership
from vehicles.models import InsurancePolicy, Vehicle, VehicleDocument
from vehicles.status import StatusBadge, VehicleStatus, status_badges


@dataclass(frozen=True)
class AlertVehicle:
    pk: int
    name: str


@dataclass(frozen=True)
class FleetAlert:
    vehicle: AlertVehicle
    badges: list[StatusBadge]


def fleet_alerts(membership: Membership) -> dict[str, Any] | None:
    """Cars the member owns (all cars for admins) with a badge other than "inactive".

    One query whatever the fleet (the home page is the most visited one): the dates the
    badges need (the active policy's, the latest roadworthiness test's), no model instance.
    """
    today = local_today(membership.association.tz)
    vehicles = Vehicle.objects.filter(association_id=membership.association_id)
    if not membership.is_admin:
        vehicles = vehicles.filter(ownerships__owner=membership)
    policy = InsurancePolicy.objects.filter(vehicle=OuterRef("pk"), is_active=True)
    test = VehicleDocument.objects.filter(
        vehicle=OuterRef("pk"), kind=VehicleDocument.Kind.ROADWORTHINESS
    ).order_by(F("expires_on").desc(nulls_last=True), "-uploaded_at", "-pk")
    rows = (
        vehicles.annotate(
            policy_from=Subquery(policy.values("valid_from")[:1]),
            policy_until=Subquery(policy.values("valid_until")[:1]),
            test_due=Subquery(test.values("expires_on")[:1]),
        )
        .order_by("name", "pk")
        .values_list("pk", "name", "is_active", "policy_from", "policy_until", "test_due")
    )
    alerts = []
    for pk, name, is_active, policy_from, policy_until, test_due in rows:
        badges = status_badges(
            is_active=is_active,
            policy_dates=(policy_from, policy_until) if policy_from is not None else None,
            roadworthiness_due_on=test_due,
            today=today,
        )
        if any(badge.status != VehicleStatus.INACTIVE for badge in badges):
            alerts.append(FleetAlert(AlertVehicle(pk, name), badges))
    return {"summaries": alerts} if alerts else None
