"""Reads of incidents: who sees them, a car's open ones, the deductible that applied."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bookings.eligibility import young_status
from bookings.models import Booking, Incident, IncidentPhoto, IncidentSighting, Trip, TripPhoto
from core.errors import DomainError
from ledger.models import Deposit
from members.models import DriverProfile, Membership
from vehicles.models import InsurancePolicy, Vehicle


def incidents_visible_to(membership: Membership) -> QuerySet[Incident]:
    """Admins: every incident of the association; others: those of the cars they own, those
    they reported, those of their trips and those they are held responsible for."""
    incidents = Incident.objects.filter(vehicle__association_id=membership.association_id)
    if not membership.is_admin:
        incidents = incidents.filter(
            Q(vehicle__ownerships__owner=membership)
            | Q(reported_by=membership)
            | Q(booking__driver=membership)
            | Q(responsible=membership)
        ).distinct()
    return incidents.select_related("vehicle", "booking__driver__user", "reported_by__user")


def open_incidents_of(vehicle: Vehicle) -> QuerySet[Incident]:
    """The car's incidents not yet settled or closed, newest first (shown at check-out)."""
    return (
        Incident.objects.filter(vehicle=vehicle, status__in=Incident.OPEN_STATUSES)
        .select_related("reported_by__user")
        .order_by("-reported_at", "-id")
    )


@dataclass(frozen=True)
class DepartureState:
    """What a driver sees before taking the car: its open incidents with their photos, and
    the photos taken when it was last brought back."""

    incidents: list[Incident]
    return_photos: list[TripPhoto]
    sighted: set[int]


def departure_state(booking: Booking) -> DepartureState:
    """The car's state at this booking's departure, in three queries."""
    incidents = list(
        open_incidents_of(booking.vehicle).prefetch_related(
            Prefetch("photos", queryset=IncidentPhoto.objects.order_by("-uploaded_at", "-id"))
        )
    )
    sighted = set(
        IncidentSighting.objects.filter(booking=booking).values_list("incident_id", flat=True)
    )
    return DepartureState(incidents, last_return_photos(booking), sighted)


def last_return_photos(booking: Booking) -> list[TripPhoto]:
    """The photos of the car's last return before this booking (its previous trip)."""
    return list(
        TripPhoto.objects.filter(
            trip__booking__vehicle_id=booking.vehicle_id,
            trip__booking__start__lt=booking.start,
            stage__in=[TripPhoto.Stage.CHECK_IN, TripPhoto.Stage.DAMAGE],
            trip__checked_in_at__isnull=False,
        )
        .exclude(trip__booking=booking)
        .filter(trip__booking__start=_last_returned_start(booking))
        .order_by("id")
    )


def _last_returned_start(booking: Booking) -> Any:
    return (
        Trip.objects.filter(
            booking__vehicle_id=booking.vehicle_id,
            booking__start__lt=booking.start,
            checked_in_at__isnull=False,
        )
        .order_by("-booking__start")
        .values("booking__start")[:1]
    )


def local_day_of(incident: Incident) -> dt.date:
    return timezone.localtime(incident.occurred_at, incident.vehicle.association.tz).date()


def policy_on(vehicle: Vehicle, day: dt.date) -> InsurancePolicy | None:
    """The policy that covered the car on `day`: the active one if valid then, else the
    latest one whose dates hold the day (a policy renewed since the incident)."""
    policies = list(vehicle.insurance_policies.filter(valid_from__lte=day).order_by("-valid_from"))
    valid = [p for p in policies if p.is_valid_on(day)]
    return next((p for p in valid if p.is_active), valid[0] if valid else None)


def deductible_for(incident: Incident, responsible: Membership) -> Decimal:
    """The deductible that applied to `responsible` on the incident's day: the higher one
    accepted when booking the trip, the young drivers' one when the policy raises it for
    them that day, the policy's deductible otherwise. DomainError without a policy."""
    day = local_day_of(incident)
    policy = policy_on(incident.vehicle, day)
    if policy is None:
        raise DomainError(
            _(
                "No insurance policy of this car covered %(date)s: the deductible that applied "
                "is unknown. Record the policy first."
            )
            % {"date": date_format(day, "SHORT_DATE_FORMAT")},
            code="no_policy",
        )
    booking = incident.booking
    if booking is not None and booking.driver_id == responsible.pk and booking.accepted_deductible:
        return booking.accepted_deductible
    if policy.young_driver_rule == InsurancePolicy.YoungDriverRule.HIGHER_DEDUCTIBLE:
        profile = DriverProfile.objects.filter(user_id=responsible.user_id).first()
        status = young_status(profile, policy, day)
        if status is not None and status.counts_as_young and policy.young_driver_deductible:
            return policy.young_driver_deductible
    return policy.deductible


def held_deposits_of(membership: Membership, vehicle: Vehicle) -> QuerySet[Deposit]:
    """The member's deposit cheques still held, for this car or for any car."""
    return Deposit.objects.filter(membership=membership, status=Deposit.Status.HELD).filter(
        Q(vehicle__isnull=True) | Q(vehicle=vehicle)
    )
