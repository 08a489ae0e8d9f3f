"""Bookings: association pages, the API and the secret-token feeds."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from bookings.models import Booking, FuelReceipt, Trip, TripPhoto, WaitingEntry
from bookings.services.feeds import get_or_create_feed
from tests.factories.bookings import BookingFactory
from tests.factories.vehicles import owned_vehicle
from tests.tenancy.registry import Access, Case, slug_only

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _vehicle(world):
    return owned_vehicle(world.admin)


def _booking(world):
    start = timezone.now() + dt.timedelta(days=3)
    return BookingFactory(vehicle=world.vehicle, driver=world.member, start=start)


def _trip(world):
    start = timezone.now() - dt.timedelta(hours=1)
    booking = BookingFactory(
        vehicle=world.vehicle,
        driver=world.member,
        start=start,
        status=Booking.Status.IN_PROGRESS,
    )
    trip = Trip.objects.create(
        booking=booking, odometer_out=1000, fuel_level_out=50, checked_out_at=start
    )
    TripPhoto.objects.create(trip=trip, stage="out", file=ContentFile(PNG, name="p.png"))
    FuelReceipt.objects.create(
        trip=trip, amount="30.00", date=start.date(), photo=ContentFile(PNG, name="r.png")
    )
    return trip


def _waiting(world):
    start = timezone.now() + dt.timedelta(days=4)
    return WaitingEntry.objects.create(
        vehicle=world.vehicle, member=world.member, start=start, end=start + dt.timedelta(hours=2)
    )


def _with_slug(**extra):
    return lambda world: {"slug": world.association.slug, **{k: f(world) for k, f in extra.items()}}


booking_pk = _with_slug(pk=lambda w: w.booking.pk)
trip_pk = _with_slug(pk=lambda w: w.trip.booking_id)
receipt_ids = _with_slug(
    pk=lambda w: w.trip.booking_id, receipt_id=lambda w: w.trip.fuel_receipts.get().pk
)

waiting_pk = _with_slug(pk=lambda w: w.waiting.pk)

BUILDERS = {"vehicle": _vehicle, "booking": _booking, "trip": _trip, "waiting": _waiting}


def _announcement(world):
    from bookings.models import Announcement

    announcement = Announcement.objects.create(
        association=world.association,
        author=world.admin.user,
        subject="Assemblée générale",
        body="Le 12 juin à la mairie.",
        audience="all",
    )
    return {"slug": world.association.slug, "pk": announcement.pk}


def _last_year(world):
    return {"slug": world.association.slug, "year": timezone.now().year - 1}


CASES = {
    "bookings:planning": Case(Access.MEMBER, slug_only),
    "bookings:report": Case(Access.ADMIN, _last_year),
    "bookings:announcements": Case(Access.ADMIN, slug_only, methods=("GET", "POST")),
    "bookings:announcement_history": Case(Access.ADMIN, slug_only),
    "bookings:announcement": Case(Access.ADMIN, _announcement),
    "api-announcements": Case(Access.ADMIN, slug_only, methods=("GET", "POST"), api=True),
    "bookings:report_pdf": Case(Access.ADMIN, _last_year),
    "bookings:report_csv": Case(Access.ADMIN, _last_year),
    "bookings:availability": Case(Access.MEMBER, slug_only),
    "bookings:vehicle_calendar": Case(Access.MEMBER, _with_slug(vehicle_id=lambda w: w.vehicle.pk)),
    "bookings:mine": Case(Access.MEMBER, slug_only),
    "bookings:create": Case(Access.MEMBER, slug_only, methods=("GET", "POST")),
    "bookings:detail": Case(Access.MEMBER, booking_pk),
    "bookings:approve": Case(Access.MEMBER, booking_pk, methods=("POST",)),
    "bookings:refuse": Case(Access.MEMBER, booking_pk, methods=("POST",)),
    "bookings:cancel": Case(Access.MEMBER, booking_pk, methods=("POST",)),
    "bookings:change": Case(Access.MEMBER, booking_pk, methods=("GET", "POST")),
    "bookings:new_series": Case(Access.MEMBER, slug_only, methods=("GET", "POST")),
    "bookings:cancel_series": Case(Access.MEMBER, booking_pk, methods=("POST",)),
    "bookings:late_return": Case(Access.MEMBER, booking_pk, methods=("POST",)),
    "bookings:waiting_join": Case(Access.MEMBER, slug_only, methods=("POST",)),
    "bookings:waiting_leave": Case(Access.OWN, waiting_pk, methods=("POST",)),
    "bookings:checkout": Case(Access.MEMBER, booking_pk, methods=("GET", "POST")),
    "bookings:checkin": Case(Access.MEMBER, trip_pk, methods=("GET", "POST")),
    "bookings:trip_photo": Case(
        Access.MEMBER,
        _with_slug(pk=lambda w: w.trip.booking_id, photo_id=lambda w: w.trip.photos.get().pk),
    ),
    "bookings:receipt_photo": Case(Access.MEMBER, receipt_ids),
    "bookings:receipt_approve": Case(Access.MEMBER, receipt_ids, methods=("POST",)),
    "bookings:receipt_refuse": Case(Access.MEMBER, receipt_ids, methods=("POST",)),
    "bookings:receipts": Case(Access.MEMBER, slug_only),
    "bookings:handover_pdf": Case(Access.MEMBER, booking_pk),
    # The holder designates the driver: owners and admins; the matrix's member only drives.
    "bookings:designation_pdf": Case(Access.ADMIN, booking_pk),
    "bookings:logbook": Case(Access.ADMIN, slug_only, methods=("GET", "POST")),
    "bookings:review": Case(Access.ADMIN, slug_only),
    # Owners use it too; the member of the matrix owns no vehicle, so it is 403 for them.
    "bookings:who_drove": Case(Access.ADMIN, slug_only),
    "bookings:feeds": Case(Access.MEMBER, slug_only),
    "bookings:regenerate_feed": Case(Access.MEMBER, slug_only, methods=("POST",)),
    "feeds:member": Case(
        Access.PUBLIC, lambda w: {"token": get_or_create_feed(actor=w.member).token}
    ),
    "feeds:vehicle": Case(
        Access.PUBLIC,
        lambda w: {"token": get_or_create_feed(actor=w.admin, vehicle=w.vehicle).token},
    ),
    "api-availability": Case(Access.MEMBER, slug_only, api=True),
    "api-bookings": Case(Access.MEMBER, slug_only, methods=("GET", "POST"), api=True),
    "api-booking": Case(Access.MEMBER, booking_pk, methods=("GET", "PATCH"), api=True),
    "api-booking-series": Case(Access.MEMBER, slug_only, methods=("POST",), api=True),
    "api-booking-approve": Case(
        Access.MEMBER, booking_pk, methods=("POST",), api=True, member_post_status=403
    ),
    "api-booking-refuse": Case(
        Access.MEMBER, booking_pk, methods=("POST",), api=True, member_post_status=403
    ),
    "api-booking-cancel": Case(Access.MEMBER, booking_pk, methods=("POST",), api=True),
    "api-booking-cancel-series": Case(Access.MEMBER, booking_pk, methods=("POST",), api=True),
    "api-waiting-list": Case(Access.MEMBER, slug_only, methods=("GET", "POST"), api=True),
    "api-waiting-entry": Case(Access.OWN, waiting_pk, methods=("DELETE",), api=True),
    "api-booking-checkout": Case(Access.MEMBER, booking_pk, methods=("POST",), api=True),
    "api-booking-checkin": Case(Access.MEMBER, trip_pk, methods=("POST",), api=True),
    # The holder designates the driver: owners and admins; the matrix's member only drives.
    "api-booking-designation": Case(Access.ADMIN, booking_pk, api=True),
    # the member of the matrix drives the trip: the car's owner (the admin) decides
    "api-receipt-approve": Case(
        Access.MEMBER, receipt_ids, methods=("POST",), api=True, member_post_status=403
    ),
    "api-receipt-refuse": Case(
        Access.MEMBER, receipt_ids, methods=("POST",), api=True, member_post_status=403
    ),
}
