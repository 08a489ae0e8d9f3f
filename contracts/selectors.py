"""Reads of agreements, always starting from an association or a membership.

For bookings: `agreement_status_for(membership=..., vehicle=...)` says whether a member is
covered by a current agreement for a vehicle ("current"), by one that must be re-signed
("outdated"), or by none ("none"); `agreement_status_map(association=...)` answers for
every pair at once (nightly re-checks). Owners count as covered for their own vehicles:
they are the main drivers declared to the insurer.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.utils import timezone

from contracts.context import agreement_terms
from contracts.models import Agreement, DocumentKind, TemplateVersion
from core.timeutils import local_today
from members.models import Association, Membership
from vehicles.models import InsurancePolicy, Tariff, Vehicle, VehicleOwnership
from vehicles.selectors import active_policy, is_owner, tariff_on

AgreementStatus = Literal["current", "outdated", "none"]

# Filters of the agreements page: name -> statuses
STATE_FILTERS: dict[str, tuple[str, ...]] = {
    "to_print": (Agreement.Status.DRAFT,),
    "to_sign": (Agreement.Status.PRINTED,),
    "to_resign": (Agreement.Status.TO_RESIGN,),
    "signed": (Agreement.Status.SIGNED,),
    "ended": (Agreement.Status.ENDED,),
}
REASONS = ("deductible", "insurance", "tariff", "key_option")


@dataclass(frozen=True)
class OutdatedAgreement:
    agreement: Agreement
    reasons: tuple[str, ...]  # among REASONS


def visible_agreements(membership: Membership) -> QuerySet[Agreement]:
    """Admins: all of the association's; members: theirs and those of the cars they own."""
    queryset = Agreement.objects.filter(association_id=membership.association_id).select_related(
        "vehicle", "driver__user"
    )
    if membership.is_admin:
        return queryset
    owned = VehicleOwnership.objects.filter(owner=membership).values("vehicle_id")
    return queryset.filter(Q(driver=membership) | Q(vehicle_id__in=owned))


def filter_agreements(
    queryset: QuerySet[Agreement], *, state: str = "", vehicle_id: int | None = None
) -> QuerySet[Agreement]:
    if state in STATE_FILTERS:
        queryset = queryset.filter(status__in=STATE_FILTERS[state])
    if vehicle_id is not None:
        queryset = queryset.filter(vehicle_id=vehicle_id)
    return queryset


def state_counts(membership: Membership) -> dict[str, int]:
    """How many agreements each filter of the page holds (one query)."""
    counts = dict.fromkeys(STATE_FILTERS, 0)
    rows = visible_agreements(membership).order_by().values_list("status")
    by_status: dict[str, int] = {}
    for (status,) in rows:
        by_status[status] = by_status.get(status, 0) + 1
    for name, statuses in STATE_FILTERS.items():
        counts[name] = sum(by_status.get(status, 0) for status in statuses)
    return counts


def current_terms(vehicles: Iterable[Vehicle], day: dt.date) -> dict[int, dict[str, Any]]:
    """The terms each vehicle's agreements should hold today (two queries in all)."""
    vehicles = list(vehicles)
    ids = [vehicle.pk for vehicle in vehicles]
    policies = {
        policy.vehicle_id: policy
        for policy in InsurancePolicy.objects.filter(vehicle_id__in=ids, is_active=True)
    }
    tariffs: dict[int, Tariff] = {}
    for tariff in Tariff.objects.filter(vehicle_id__in=ids, valid_from__lte=day).order_by(
        "vehicle_id", "-valid_from"
    ):
        tariffs.setdefault(tariff.vehicle_id, tariff)
    return {
        vehicle.pk: agreement_terms(policies.get(vehicle.pk), tariffs.get(vehicle.pk), vehicle)
        for vehicle in vehicles
    }


def changed_terms(signed: dict[str, Any], current: dict[str, Any]) -> tuple[str, ...]:
    """The reasons (REASONS) why terms signed differ from the current ones."""
    return tuple(reason for reason in REASONS if signed.get(reason) != current.get(reason))


def find_outdated_agreements(*, association: Association) -> list[OutdatedAgreement]:
    """Signed agreements whose deductible, insurance, tariff or key option changed since."""
    signed = list(
        Agreement.objects.filter(association=association, status=Agreement.Status.SIGNED)
        .select_related("vehicle", "driver__user")
        .order_by("vehicle__name", "id")
    )
    vehicles = {agreement.vehicle_id: agreement.vehicle for agreement in signed}
    terms = current_terms(vehicles.values(), local_today(association.tz))
    found = []
    for agreement in signed:
        reasons = changed_terms(agreement.terms, terms[agreement.vehicle_id])
        if reasons:
            found.append(OutdatedAgreement(agreement, reasons))
    return found


def agreement_in_force(*, membership: Membership, vehicle: Vehicle) -> Agreement | None:
    """The signed (or to re-sign) agreement of this member for this vehicle, if any."""
    return Agreement.objects.filter(
        driver=membership, vehicle=vehicle, status__in=Agreement.IN_FORCE
    ).first()


def agreement_at(*, membership: Membership, vehicle: Vehicle, day: dt.date) -> Agreement | None:
    """The agreement of this member for this vehicle that held on `day` (a past trip's):
    signed on or before it and not ended before it, whatever happened to it since."""
    signed = Agreement.objects.filter(
        driver=membership,
        vehicle=vehicle,
        signed_on__lte=day,
        status__in=[*Agreement.IN_FORCE, Agreement.Status.ENDED],
    ).order_by("-signed_on", "-pk")
    tz = vehicle.association.tz
    for agreement in signed:
        if agreement.ended_at is None or timezone.localtime(agreement.ended_at, tz).date() >= day:
            return agreement
    return None


def agreement_status_on(
    *, membership: Membership, vehicle: Vehicle, day: dt.date
) -> AgreementStatus:
    """For a past trip: "current" when the member owned the vehicle or had an agreement on
    `day` (`agreement_at`), else "none"."""
    if is_owner(membership, vehicle) or agreement_at(
        membership=membership, vehicle=vehicle, day=day
    ):
        return "current"
    return "none"


def agreement_status_for(*, membership: Membership, vehicle: Vehicle) -> AgreementStatus:
    """ "current", "outdated" or "none": may the member drive the vehicle as far as the
    agreement goes? The terms are compared live, so a change of tariff or insurance counts
    before the nightly job marks the agreement (at most four queries)."""
    if is_owner(membership, vehicle):
        return "current"
    agreement = agreement_in_force(membership=membership, vehicle=vehicle)
    if agreement is None:
        return "none"
    if agreement.status == Agreement.Status.TO_RESIGN:
        return "outdated"
    day = local_today(vehicle.association.tz)
    current = agreement_terms(active_policy(vehicle), tariff_on(vehicle, day), vehicle)
    return "outdated" if changed_terms(agreement.terms, current) else "current"


def agreement_status_map(*, association: Association) -> dict[tuple[int, int], AgreementStatus]:
    """(membership id, vehicle id) -> status for the whole association (four queries).

    A pair that is not in the map has no agreement: "none".
    """
    statuses: dict[tuple[int, int], AgreementStatus] = {}
    in_force = list(
        Agreement.objects.filter(
            association=association, status__in=Agreement.IN_FORCE
        ).select_related("vehicle")
    )
    vehicles = {agreement.vehicle_id: agreement.vehicle for agreement in in_force}
    terms = current_terms(vehicles.values(), local_today(association.tz))
    for agreement in in_force:
        outdated = agreement.status == Agreement.Status.TO_RESIGN or changed_terms(
            agreement.terms, terms[agreement.vehicle_id]
        )
        statuses[(agreement.driver_id, agreement.vehicle_id)] = (
            "outdated" if outdated else "current"
        )
    owners = VehicleOwnership.objects.filter(vehicle__association=association)
    for owner_id, vehicle_id in owners.values_list("owner_id", "vehicle_id"):
        statuses[(owner_id, vehicle_id)] = "current"
    return statuses


@dataclass(frozen=True)
class Coverage:
    """A vehicle, as seen on a member's own agreements page."""

    vehicle: Vehicle
    status: AgreementStatus
    is_owner: bool


def coverage_of(membership: Membership) -> list[Coverage]:
    """Every active vehicle of the association with the member's agreement status."""
    statuses = agreement_status_map(association=membership.association)
    owned = set(
        VehicleOwnership.objects.filter(owner=membership).values_list("vehicle_id", flat=True)
    )
    vehicles = Vehicle.objects.filter(association_id=membership.association_id, is_active=True)
    return [
        Coverage(
            vehicle=vehicle,
            status=statuses.get((membership.pk, vehicle.pk), "none"),
            is_owner=vehicle.pk in owned,
        )
        for vehicle in vehicles.order_by("name")
    ]


# --- Document templates ---------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateRow:
    kind: str
    label: str
    latest: TemplateVersion | None  # None: the shipped default is used


def template_rows(association: Association) -> list[TemplateRow]:
    """Each document kind with the association's latest version, if any (one query)."""
    latest: dict[str, TemplateVersion] = {}
    versions = TemplateVersion.objects.filter(template__association=association).select_related(
        "template", "created_by"
    )
    for version in versions.order_by("template__kind", "-number"):
        latest.setdefault(version.template.kind, version)
    return [TemplateRow(kind, str(label), latest.get(kind)) for kind, label in DocumentKind.choices]


def template_versions(*, association: Association, kind: str) -> QuerySet[TemplateVersion]:
    return TemplateVersion.objects.filter(
        template__association=association, template__kind=kind
    ).select_related("created_by")


def get_template_version(
    *, association: Association, kind: str, number: int
) -> TemplateVersion | None:
    return template_versions(association=association, kind=kind).filter(number=number).first()


@dataclass(frozen=True)
class DiffLine:
    kind: Literal["added", "removed", "same", "hunk"]
    text: str


def diff_lines(old: str, new: str, *, context: int = 3) -> list[DiffLine]:
    """A unified diff of two template texts, line by line, for display."""
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=context)
    result = []
    for line in list(lines)[2:]:  # skip the ---/+++ file header
        if line.startswith("@@"):
            result.append(DiffLine("hunk", line))
        elif line.startswith("+"):
            result.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            result.append(DiffLine("removed", line[1:]))
        else:
            result.append(DiffLine("same", line[1:]))
    return result
