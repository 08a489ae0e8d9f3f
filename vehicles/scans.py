"""Scans of the fleet: insurance and roadworthiness tests expiring, and what a driver whose
probation ends may now drive. See notifications/ for the outbox they feed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.money import format_euros
from core.notices import Job, Message, ScanCounts, link, queue_notifications
from core.scanning import CATCH_UP_DAYS, EXPIRY_STAGES, batched, date_window, day_stage
from core.timeutils import add_months, add_years, local_today
from members.drivers import (
    PROBATION_MONTHS_AFTER_AAC_AND_TRAINING,
    PROBATION_YEARS,
    PROBATION_YEARS_AFTER_AAC,
    probation_end,
    young_driver_status,
)
from members.models import DriverProfile, Membership, User
from members.recipients import active_memberships_by_user, admins_by_association
from vehicles.models import InsurancePolicy, Vehicle, VehicleDocument, VehicleOwnership
from vehicles.notifications import DOCUMENT_EXPIRING, PROBATION_ENDED

INSURANCE = "insurance"
ROADWORTHINESS = "roadworthiness"


@dataclass(frozen=True)
class Expiry:
    """A paper of a vehicle that stops being valid after `expires_on`."""

    vehicle: Vehicle
    document: str  # INSURANCE or ROADWORTHINESS
    expires_on: dt.date


def scan_vehicle_documents(*, now: dt.datetime) -> ScanCounts:
    """Insurance (the active policy) and roadworthiness test (the latest one) of active
    vehicles expiring in 30, 7 or 0 days: their owners and the association's admins."""
    counts = ScanCounts()
    low, high = date_window(now, before=CATCH_UP_DAYS, after=max(EXPIRY_STAGES))
    policies = InsurancePolicy.objects.filter(
        is_active=True, valid_until__range=(low, high), vehicle__is_active=True
    ).select_related("vehicle__association")
    for policies_batch in batched(policies):
        counts.checked += len(policies_batch)
        expiries = [
            Expiry(p.vehicle, INSURANCE, p.valid_until) for p in policies_batch if p.valid_until
        ]
        counts.add(queue_notifications(_document_messages(expiries)))
    newer = VehicleDocument.objects.filter(
        vehicle=OuterRef("vehicle"), kind=OuterRef("kind"), expires_on__gt=OuterRef("expires_on")
    )
    tests = (
        VehicleDocument.objects.filter(
            kind=VehicleDocument.Kind.ROADWORTHINESS,
            expires_on__range=(low, high),
            vehicle__is_active=True,
        )
        .exclude(Exists(newer))  # a test replaced by a later one is history
        .select_related("vehicle__association")
    )
    for tests_batch in batched(tests):
        counts.checked += len(tests_batch)
        expiries = [
            Expiry(d.vehicle, ROADWORTHINESS, d.expires_on) for d in tests_batch if d.expires_on
        ]
        counts.add(queue_notifications(_document_messages(expiries)))
    return counts


def _document_messages(expiries: list[Expiry]) -> list[Message]:
    owners = owners_by_vehicle(e.vehicle.pk for e in expiries)
    admins = admins_by_association(e.vehicle.association_id for e in expiries)
    messages: list[Message] = []
    for expiry in expiries:
        vehicle, association = expiry.vehicle, expiry.vehicle.association
        days_left = (expiry.expires_on - local_today(association.tz)).days
        stage = day_stage(days_left)
        if stage is None:
            continue
        key = f"vehicle:{vehicle.pk}:{expiry.document}:{expiry.expires_on}:{stage}d"
        context = {
            "vehicle": str(vehicle),
            "document": expiry.document,
            "expires_on": expiry.expires_on,
            "days_left": days_left,
        }
        url = link("vehicles:detail", slug=association.slug, pk=vehicle.pk)
        recipients = {
            u.pk: u for u in [*owners.get(vehicle.pk, []), *admins.get(association.pk, [])]
        }
        messages += [
            Message(user, DOCUMENT_EXPIRING, key, association, context, url)
            for user in recipients.values()
        ]
    return messages


def owners_by_vehicle(vehicle_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active owner members (users) of each vehicle (one query)."""
    owners: dict[int, list[User]] = defaultdict(list)
    rows = VehicleOwnership.objects.filter(
        vehicle_id__in=set(vehicle_ids),
        owner__status=Membership.Status.ACTIVE,
        owner__user__is_active=True,
    ).select_related("owner__user")
    for ownership in rows.order_by("pk"):
        owners[ownership.vehicle_id].append(ownership.owner.user)
    return owners


# --- Probation ends ---------------------------------------------------------------------


def _years_before(years: int) -> Callable[[dt.date], dt.date]:
    return lambda day: add_years(day, -years)


def _months_before(months: int) -> Callable[[dt.date], dt.date]:
    return lambda day: add_months(day, -months)


# From a probation end back to the licence's issue date, for each probation length.
ISSUE_DATE_OF_END = (
    _years_before(PROBATION_YEARS),
    _years_before(PROBATION_YEARS_AFTER_AAC),
    _months_before(PROBATION_MONTHS_AFTER_AAC_AND_TRAINING),
)
# add_years and add_months move 29 February and month ends by a day or three.
CALENDAR_SLACK = dt.timedelta(days=3)


@dataclass(frozen=True)
class OpenedVehicle:
    vehicle: str
    was_forbidden: bool  # else: it was allowed with a higher deductible
    deductible: str


@dataclass(frozen=True)
class StillRestricted:
    vehicle: str
    forbidden: bool
    until: dt.date


def scan_probation_ends(*, now: dt.datetime) -> ScanCounts:
    """Drivers whose probationary licence ended today (or in the last days): tell them, for
    each of their associations, which cars the insurance rules now open to them."""
    counts = ScanCounts()
    low, high = date_window(now, before=CATCH_UP_DAYS, after=0)
    profiles = DriverProfile.objects.filter(
        _issued_for_probation_end_between(low, high), user__is_active=True
    ).select_related("user")
    for batch in batched(profiles):
        counts.checked += len(batch)
        counts.add(queue_notifications(_probation_messages(batch)))
    return counts


def _issued_for_probation_end_between(low: dt.date, high: dt.date) -> Q:
    """Licences whose probation, whatever its length, may end between `low` and `high`."""
    condition = Q()
    for issue_date_of in ISSUE_DATE_OF_END:
        condition |= Q(
            licence_issued_on__range=(
                issue_date_of(low) - CALENDAR_SLACK,
                issue_date_of(high) + CALENDAR_SLACK,
            )
        )
    return condition


def _probation_messages(profiles: list[DriverProfile]) -> list[Message]:
    memberships = active_memberships_by_user(p.user_id for p in profiles)
    policies = _policies_by_association(m.association_id for ms in memberships.values() for m in ms)
    messages: list[Message] = []
    for profile in profiles:
        if profile.licence_issued_on is None or not memberships.get(profile.user_id):
            continue
        end = probation_end(
            licence_issued_on=profile.licence_issued_on,
            accompanied_driving=profile.accompanied_driving,
            post_licence_training=profile.post_licence_training,
        )
        for membership in memberships[profile.user_id]:
            association = membership.association
            if not 0 <= (local_today(association.tz) - end).days <= CATCH_UP_DAYS:
                continue
            opened, restricted = _what_opens(profile, end, policies.get(association.pk, []))
            messages.append(
                Message(
                    profile.user,
                    PROBATION_ENDED,
                    f"driverprofile:{profile.pk}:{end}:association:{association.pk}",
                    association,
                    {"ended_on": end, "opened": opened, "still_restricted": restricted},
                    link("vehicles:list", slug=association.slug),
                )
            )
    return messages


def _policies_by_association(association_ids: Iterable[int]) -> dict[int, list[InsurancePolicy]]:
    """Active policies of the active vehicles of each association (one query)."""
    found: dict[int, list[InsurancePolicy]] = defaultdict(list)
    rows = InsurancePolicy.objects.filter(
        is_active=True,
        vehicle__is_active=True,
        vehicle__association_id__in=set(association_ids),
    ).select_related("vehicle")
    for policy in rows.order_by("vehicle__name", "pk"):
        found[policy.vehicle.association_id].append(policy)
    return found


def _what_opens(
    profile: DriverProfile, end: dt.date, policies: list[InsurancePolicy]
) -> tuple[list[OpenedVehicle], list[StillRestricted]]:
    """Cars whose young-driver restriction the driver left behind on `end`, and the cars
    still restricted, with the day the restriction ends."""
    opened: list[OpenedVehicle] = []
    restricted: list[StillRestricted] = []
    if profile.birth_date is None or profile.licence_issued_on is None:
        return opened, restricted
    for policy in policies:
        if policy.young_driver_rule == InsurancePolicy.YoungDriverRule.ALLOWED:
            continue
        before, after = (_young(profile, policy, day) for day in (end - dt.timedelta(days=1), end))
        forbidden = policy.young_driver_rule == InsurancePolicy.YoungDriverRule.FORBIDDEN
        if before and not after:
            opened.append(
                OpenedVehicle(str(policy.vehicle), forbidden, format_euros(policy.deductible))
            )
        elif after:
            until = max(
                add_years(profile.birth_date, policy.min_driver_age),
                add_years(profile.licence_issued_on, policy.min_licence_years),
            )
            restricted.append(StillRestricted(str(policy.vehicle), forbidden, until))
    return opened, restricted


def _young(profile: DriverProfile, policy: InsurancePolicy, day: dt.date) -> bool:
    """Whether the policy's young-driver rule applies to the driver on `day`."""
    assert profile.birth_date is not None and profile.licence_issued_on is not None  # noqa: S101
    return young_driver_status(
        birth_date=profile.birth_date,
        licence_issued_on=profile.licence_issued_on,
        accompanied_driving=profile.accompanied_driving,
        post_licence_training=profile.post_licence_training,
        on=day,
        min_age=policy.min_driver_age,
        min_licence_years=policy.min_licence_years,
    ).counts_as_young


JOBS = [
    Job(
        "vehicle_documents",
        _("Insurance and roadworthiness tests expiring"),
        _("every day at 07:05"),
        scan_vehicle_documents,
    ),
    Job(
        "probation_ends",
        _("Probationary licences ending"),
        _("every day at 07:10"),
        scan_probation_ends,
    ),
]
