"""The owner's own time (bookings app): a car's blocked periods and caps, page and API;
the car's notebook and the owner's month.
The matrix's member owns no car: 403 there; the admin manages every car."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bookings.models import Unavailability, UsageCap
from tests.tenancy.registry import Access, Case, slug_only


def _unavailability(world):
    start = timezone.now() + dt.timedelta(days=30)
    return Unavailability.objects.create(
        vehicle=world.vehicle,
        created_by=world.admin,
        start=start,
        end=start + dt.timedelta(hours=2),
    )


def _usage_cap(world):
    return UsageCap.objects.create(
        vehicle=world.vehicle, driver=world.member, hours_per_month=10, created_by=world.admin
    )


def _with_slug(**extra):
    return lambda world: {"slug": world.association.slug, **{k: f(world) for k, f in extra.items()}}


vehicle_id = _with_slug(vehicle_id=lambda w: w.vehicle.pk)
vehicle_pk = _with_slug(pk=lambda w: w.vehicle.pk)

BUILDERS = {"unavailability": _unavailability, "usage_cap": _usage_cap}

# Owners manage their car's time too; the matrix's member owns none, hence ADMIN.
CASES = {
    "bookings:owner_time": Case(Access.ADMIN, vehicle_id),
    "bookings:notebook": Case(Access.ADMIN, vehicle_id),
    # Every member sees their own cars' month (none for the matrix's member).
    "bookings:owner_month": Case(Access.MEMBER, slug_only),
    "bookings:block": Case(Access.ADMIN, vehicle_id, methods=("POST",)),
    "bookings:unblock": Case(
        Access.ADMIN,
        _with_slug(vehicle_id=lambda w: w.vehicle.pk, pk=lambda w: w.unavailability.pk),
        methods=("POST",),
    ),
    "bookings:cap": Case(Access.ADMIN, vehicle_id, methods=("POST",)),
    "bookings:uncap": Case(
        Access.ADMIN,
        _with_slug(vehicle_id=lambda w: w.vehicle.pk, pk=lambda w: w.usage_cap.pk),
        methods=("POST",),
    ),
    "api-vehicle-unavailability": Case(Access.ADMIN, vehicle_pk, methods=("GET", "POST"), api=True),
    "api-vehicle-unavailability-detail": Case(
        Access.ADMIN,
        _with_slug(pk=lambda w: w.vehicle.pk, rule_pk=lambda w: w.unavailability.pk),
        methods=("DELETE",),
        api=True,
    ),
}
