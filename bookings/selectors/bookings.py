"""Lists of bookings: mine, visible to a caller, and the fines lookup."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking, Trip, WaitingEntry
from core.prepared import PreparedQuery
from members.models import Association, AuditEntry, Membership
from vehicles.models import Vehicle


def _with_relations(queryset: QuerySet[Booking]) -> QuerySet[Booking]:
    return queryset.select_related("vehicle", "driver__user")


def my_upcoming_bookings(membership: Membership) -> QuerySet[Booking]:
    """The member's bookings that are not over: requested, confirmed or in progress."""
    return _with_relations(
        Booking.objects.filter(
            driver=membership,
            status__in=Booking.BLOCKING_STATUSES,
        ).filter(Q(end__gte=timezone.now()) | Q(status=Booking.Status.IN_PROGRESS))
    ).order_by("start")


def my_past_bookings(membership: Membership) -> QuerySet[Booking]:
    """Everything else of the member's, newest first."""
    upcoming = my_upcoming_bookings(membership).values("pk")
    return _with_relations(
        Booking.objects.filter(driver=membership).exclude(pk__in=upcoming)
    ).order_by("-start")


@dataclass(frozen=True)
class MyBookingsKey:
    """What "My bookings" shows depends on, read before any booking (core.fragments): the
    version of every car of the association (bumped by every write of its bookings and of
    the fuel receipts of its trips: the member's bookings, the approvals and the receipts
    waiting) and the cars they manage."""

    versions: tuple[tuple[int, int], ...]
    managed: tuple[int, ...]


_CAR_VERSIONS = PreparedQuery(
    lambda association_id: Vehicle.objects.filter(association_id=association_id).values_list(
        "pk", "bookings_version__version", "ownerships__owner_id"
    ),
    association_id=int,
)


def my_bookings_key(membership: Membership) -> MyBookingsKey:
    """One query whatever the bookings, compiled once (core.prepared): it runs on every
    view of the page."""
    versions: dict[int, int] = {}
    managed: set[int] = set()
    for pk, version, owner_id in _CAR_VERSIONS.rows(association_id=membership.association_id):
        versions[pk] = version or 0
        if membership.is_admin or owner_id == membership.pk:
            managed.add(pk)
    return MyBookingsKey(tuple(sorted(versions.items())), tuple(sorted(managed)))


def managed_vehicle_ids(membership: Membership) -> list[int]:
    """Vehicles the member may manage: all of the association for admins, else owned ones."""
    vehicles = Vehicle.objects.filter(association_id=membership.association_id)
    if not membership.is_admin:
        vehicles = vehicles.filter(ownerships__owner=membership)
    return list(vehicles.values_list("pk", flat=True))


def bookings_visible_to(membership: Membership) -> QuerySet[Booking]:
    """Bookings the caller takes part in: as driver, as owner of the vehicle, or as admin."""
    bookings = Booking.objects.filter(vehicle__association_id=membership.association_id)
    if not membership.is_admin:
        bookings = bookings.filter(
            Q(driver=membership) | Q(vehicle__ownerships__owner=membership)
        ).distinct()
    return _with_relations(bookings).order_by("start", "pk")


def pending_approvals(
    membership: Membership, managed: list[int] | None = None
) -> QuerySet[Booking]:
    """Requested bookings of the vehicles the caller manages (`managed`, if already known)."""
    vehicle_ids = managed_vehicle_ids(membership) if managed is None else managed
    return _with_relations(
        Booking.objects.filter(vehicle_id__in=vehicle_ids, status=Booking.Status.REQUESTED)
    ).order_by("start")


@dataclass(frozen=True)
class BookingLine:
    """A booking as a line of a table, its texts formatted once (the template prints them)."""

    pk: int
    href: str
    vehicle: str
    when: str
    driver: str
    status: str
    status_label: str
    end: dt.datetime


LINE_FIELDS = (
    "pk",
    "start",
    "end",
    "status",
    "vehicle__name",
    "driver__user__first_name",
    "driver__user__last_name",
    "driver__user__email",
)


def booking_lines(bookings: QuerySet[Booking], slug: str) -> list[BookingLine]:
    """Lines for the booking tables of "My bookings", in the association's (active) zone:
    plain values, no model instances (the page lists up to ~40 bookings)."""
    detail = reverse("bookings:mine", kwargs={"slug": slug})
    statuses = dict(Booking.Status.choices)
    days: dict[dt.date, str] = {}

    def moment(value: dt.datetime) -> str:
        local = timezone.localtime(value)
        if local.date() not in days:
            days[local.date()] = date_format(local.date(), "D j/m")
        return f"{days[local.date()]} {local:%H:%M}"

    return [
        BookingLine(
            pk=pk,
            href=f"{detail}{pk}/",
            vehicle=vehicle,
            when=f"{moment(start)} – {moment(end)}",
            driver=f"{first} {last}".strip() or email,  # User.display_name
            status=status,
            status_label=str(statuses[status]),
            end=end,
        )
        for pk, start, end, status, vehicle, first, last, email in bookings.values_list(
            *LINE_FIELDS
        )
    ]


def who_drove(vehicle: Vehicle, moment: dt.datetime) -> Booking | None:
    """The booking whose trip (or, without a trip, whose booked time) covers `moment`."""
    by_trip = (
        Booking.objects.filter(
            vehicle=vehicle,
            trip__checked_out_at__lte=moment,
        )
        .filter(
            Q(trip__checked_in_at__gt=moment)
            | Q(trip__checked_in_at__isnull=True, status=Booking.Status.IN_PROGRESS)
        )
        .select_related("driver__user", "trip")
        .order_by("-trip__checked_out_at")
        .first()
    )
    if by_trip is not None:
        return by_trip
    return (
        Booking.objects.filter(
            vehicle=vehicle,
            start__lte=moment,
            end__gt=moment,
            status__in=[
                Booking.Status.CONFIRMED,
                Booking.Status.IN_PROGRESS,
                Booking.Status.COMPLETED,
            ],
        )
        .select_related("driver__user")
        .first()
    )


def trips_to_review(association: Association) -> QuerySet[Trip]:
    """Trips with an odometer gap or an implausible distance, newest first (admins)."""
    return (
        Trip.objects.filter(booking__vehicle__association=association)
        .filter(Q(odometer_gap_km__isnull=False) | Q(implausible_km=True))
        .select_related("booking__vehicle", "booking__driver__user")
        .order_by("-checked_out_at")
    )


@dataclass(frozen=True)
class HistoryLine:
    at: dt.datetime
    what: str
    who: str
    detail: str


HISTORY_LABELS = {
    "booking.create": _("Booked"),
    "booking.approve": _("Booking confirmed"),
    "booking.refuse": _("Booking refused"),
    "booking.cancel": _("Booking cancelled"),
    "booking.extend": _("Booking extended (late return)"),
    "booking.late_return_warned": _("Late return: the next driver was told"),
    "trip.check_out": _("Car taken (check-out)"),
    "trip.check_in": _("Car brought back (check-in)"),
    "trip.enter_past": _("Trip entered from the paper logbook"),
    "trip.eligibility_override": _("Entered although the rules refused it"),
    "receipt.approve": _("Fuel receipt approved"),
    "receipt.refuse": _("Fuel receipt refused"),
}


def booking_history(booking: Booking) -> list[HistoryLine]:
    """What happened to a booking, oldest first, from the audit trail (owners and admins)."""
    entries = (
        AuditEntry.objects.filter(target_type="bookings.booking", target_id=str(booking.pk))
        .select_related("actor")
        .order_by("created_at", "pk")
    )
    return [
        HistoryLine(
            at=entry.created_at,
            what=str(HISTORY_LABELS.get(entry.action, entry.action)),
            who=entry.actor.display_name if entry.actor else "",
            detail=str(entry.data.get("reason", "")),
        )
        for entry in entries[:200]
    ]


@dataclass(frozen=True)
class WaitingLine:
    """A slot the member waits for, as "My bookings" lists it."""

    pk: int
    vehicle_name: str
    start: dt.datetime
    end: dt.datetime


_WAITING_LINES = PreparedQuery(
    lambda member_id, now: (
        WaitingEntry.objects.filter(member_id=member_id, notified_at__isnull=True, start__gt=now)
        .order_by("start", "pk")
        .values_list("pk", "vehicle__name", "start", "end")
    ),
    member_id=int,
    now=dt.datetime,
)


def my_waiting_lines(membership: Membership) -> list[WaitingLine]:
    """`my_waiting_entries` as plain lines, one query compiled once (core.prepared)."""
    return [
        WaitingLine(*row)
        for row in _WAITING_LINES.rows(member_id=membership.pk, now=timezone.now())
    ]


def my_waiting_entries(membership: Membership) -> QuerySet[WaitingEntry]:
    """The slots the member still waits for (not told yet, not begun), soonest first."""
    return (
        WaitingEntry.objects.filter(
            member=membership, notified_at__isnull=True, start__gt=timezone.now()
        )
        .select_related("vehicle")
        .order_by("start", "pk")
    )
