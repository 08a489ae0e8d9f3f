"""Incidents (bookings app): pages, files, "already there" at a departure, and the API.

The matrix's member reported the incident and drives the departure booking; the vehicle
is the admin's (tests/tenancy/cases_bookings.py builds it), so the member may see and reply
but not assess (owners, admins) nor decide (admins): 403 on those.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from bookings.models import Booking, Incident, IncidentPhoto, TripPhoto
from tests.factories.bookings import BookingFactory, TripFactory
from tests.tenancy.registry import Access, Case, slug_only

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.4\n%%EOF\n"


def _incident(world):
    incident = Incident.objects.create(
        vehicle=world.vehicle,
        kind=Incident.Kind.SCRATCH,
        description="Rayure",
        reported_by=world.member,
        repair_document=ContentFile(PDF, name="devis.pdf"),
    )
    IncidentPhoto.objects.create(incident=incident, file=ContentFile(PNG, name="p.png"))
    return incident


def _departure(world):
    now = timezone.now()
    past = TripFactory(
        booking__vehicle=world.vehicle,
        booking__driver=world.admin,
        booking__start=now - dt.timedelta(days=2),
    )
    TripPhoto.objects.create(trip=past, stage="in", file=ContentFile(PNG, name="r.png"))
    return BookingFactory(
        vehicle=world.vehicle,
        driver=world.member,
        start=now + dt.timedelta(minutes=30),
        status=Booking.Status.CONFIRMED,
    )


def _with_slug(**extra):
    return lambda world: {"slug": world.association.slug, **{k: f(world) for k, f in extra.items()}}


incident_pk = _with_slug(pk=lambda w: w.incident.pk)
incident_photo = _with_slug(
    pk=lambda w: w.incident.pk, photo_id=lambda w: w.incident.photos.get().pk
)

BUILDERS = {"incident": _incident, "departure": _departure}

CASES = {
    "bookings:incidents": Case(Access.MEMBER, slug_only),
    "bookings:incident_create": Case(Access.MEMBER, slug_only, methods=("GET", "POST")),
    "bookings:incident": Case(Access.MEMBER, incident_pk),
    "bookings:incident_reply": Case(Access.MEMBER, incident_pk, methods=("POST",)),
    "bookings:incident_add_photos": Case(Access.MEMBER, incident_pk, methods=("POST",)),
    "bookings:incident_assess": Case(
        Access.MEMBER, incident_pk, methods=("POST",), member_post_status=403
    ),
    "bookings:incident_settle": Case(
        Access.MEMBER, incident_pk, methods=("POST",), member_post_status=403
    ),
    "bookings:incident_close": Case(
        Access.MEMBER, incident_pk, methods=("POST",), member_post_status=403
    ),
    "bookings:incident_photo": Case(Access.MEMBER, incident_photo),
    "bookings:incident_document": Case(Access.MEMBER, incident_pk),
    "bookings:already_there": Case(
        Access.MEMBER,
        _with_slug(pk=lambda w: w.departure.pk, incident_id=lambda w: w.incident.pk),
        methods=("POST",),
    ),
    "bookings:departure_photo": Case(
        Access.MEMBER,
        _with_slug(pk=lambda w: w.departure.pk, photo_id=lambda w: w.incident.photos.get().pk),
    ),
    "bookings:departure_return_photo": Case(
        Access.MEMBER,
        _with_slug(
            pk=lambda w: w.departure.pk,
            photo_id=lambda w: TripPhoto.objects.get(trip__booking__vehicle=w.vehicle).pk,
        ),
    ),
    "api-incidents": Case(Access.MEMBER, slug_only, methods=("GET", "POST"), api=True),
    "api-incident": Case(Access.MEMBER, incident_pk, api=True),
    "api-incident-settle": Case(
        Access.MEMBER, incident_pk, methods=("POST",), api=True, member_post_status=403
    ),
    "api-incident-close": Case(
        Access.MEMBER, incident_pk, methods=("POST",), api=True, member_post_status=403
    ),
    "api-incident-assess": Case(
        Access.MEMBER, incident_pk, methods=("POST",), api=True, member_post_status=403
    ),
    "api-incident-replies": Case(Access.MEMBER, incident_pk, methods=("POST",), api=True),
    "api-incident-photo": Case(Access.MEMBER, incident_photo, api=True),
}
