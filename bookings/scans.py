"""Scans of bookings: reminders before a booking starts, approvals waiting, returns due and
overdue, trips not recorded; and the nightly checks of future bookings (a driver no longer
eligible, a driver without a current agreement).

Times are the association's: "24 h before" is the same wall-clock time the day before (a
booking at 10:00 is reminded at 10:00 the day before, even across a daylight-saving
night); "2 h before" and "an hour after the end" are real durations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bookings import owner_summaries
from bookings.eligibility import (
    AGREEMENT_OUTDATED,
    NO_AGREEMENT,
    Reason,
    eligibility_of_bookings,
)
from bookings.models import Announcement, Booking
from bookings.notifications import (
    APPROVAL_PENDING,
    BOOKING_INELIGIBLE,
    BOOKING_STARTS_SOON,
    BOOKING_WITHOUT_AGREEMENT,
    RETURN_DUE,
    RETURN_OVERDUE,
    TRIP_NOT_CHECKED_IN,
)
from bookings.services.announcements import ANNOUNCEMENTS_JOB, deliver_announcement
from contracts.selectors import AgreementStatus, agreement_status_map
from core.notices import Job, Message, ScanCounts, link, queue_notifications
from core.scanning import CATCH_UP_DAYS, batched, utc_stamp
from core.timeutils import make_local
from members.models import Association, User
from members.permissions import SystemActor
from members.recipients import admins_by_association
from vehicles.models import Vehicle
from vehicles.scans import owners_by_vehicle

SECOND_REMINDER = dt.timedelta(hours=2)
# The window of bookings whose first reminder may be due: a day before is 23 to 25 hours.
REMINDER_WINDOW = dt.timedelta(hours=26)
# The admins hear of a request the owner has not answered after a day, or 12 hours before
# the start if that comes first, but never in its first hour (the owner's chance).
APPROVAL_ADMINS_AFTER = dt.timedelta(hours=24)
APPROVAL_ADMINS_BEFORE_START = dt.timedelta(hours=12)
APPROVAL_OWNER_FIRST = dt.timedelta(hours=1)
OVERDUE_AFTER = dt.timedelta(hours=1)
# A trip nobody recorded: the driver is asked an hour after the end, the admins a day after.
NOT_RECORDED_DRIVER_AFTER = dt.timedelta(hours=1)
NOT_RECORDED_ADMINS_AFTER = dt.timedelta(hours=24)
# A late return matters to the next driver if their booking starts within this time.
NEXT_DRIVER_WITHIN = dt.timedelta(hours=24)


def _bookings(**filters: Any) -> QuerySet[Booking]:
    return Booking.objects.filter(**filters).select_related("vehicle__association", "driver__user")


def _url(booking: Booking) -> str:
    return link("bookings:detail", slug=booking.vehicle.association.slug, pk=booking.pk)


def day_before(moment: dt.datetime, vehicle: Vehicle) -> dt.datetime:
    """The same wall-clock time on the previous day, in the vehicle's association zone."""
    tz = vehicle.association.tz
    local = moment.astimezone(tz)
    return make_local(local.date() - dt.timedelta(days=1), local.time(), tz)


# --- Before the start -------------------------------------------------------------------


def reminder_stage(booking: Booking, now: dt.datetime) -> str | None:
    """ "2h", "24h" or None: the most urgent reminder due, unless the booking was made
    after that reminder's moment (its driver has just booked it)."""
    if now >= booking.start:
        return None
    second = booking.start - SECOND_REMINDER
    if now >= second:
        return "2h" if booking.created_at <= second else None
    first = day_before(booking.start, booking.vehicle)
    if now >= first:
        return "24h" if booking.created_at <= first else None
    return None


def scan_booking_starts(*, now: dt.datetime) -> ScanCounts:
    """Confirmed bookings starting within a day: remind the driver the day before and two
    hours before; the owners too when the keys are handed over in person."""
    counts = ScanCounts()
    due = _bookings(
        status=Booking.Status.CONFIRMED, start__gt=now, start__lte=now + REMINDER_WINDOW
    )
    for batch in batched(due):
        counts.checked += len(batch)
        counts.add(queue_notifications(_start_messages(batch, now)))
    return counts


def _start_messages(bookings: list[Booking], now: dt.datetime) -> list[Message]:
    owners = owners_by_vehicle(b.vehicle_id for b in bookings)
    messages: list[Message] = []
    for booking in bookings:
        stage = reminder_stage(booking, now)
        if stage is None:
            continue
        vehicle, driver = booking.vehicle, booking.driver.user
        mine = owners.get(vehicle.pk, [])
        hand_to_hand = vehicle.key_mode == Vehicle.KeyMode.HAND_TO_HAND
        context = {
            "vehicle": str(vehicle),
            "start": booking.start,
            "end": booking.end,
            "stage": stage,
            "place": vehicle.parking_place,
            "hand_to_hand": hand_to_hand and driver not in mine,
            "key_arrangement": vehicle.key_arrangement,
            "owner_phone": next((o.phone for o in mine if o.phone), ""),
            "driver": driver.display_name,
            "driver_phone": driver.phone,
        }
        key = f"booking:{booking.pk}:{stage}:{utc_stamp(booking.start)}"
        kind, association, url = (
            BOOKING_STARTS_SOON,
            vehicle.association,
            _url(booking),
        )
        messages.append(Message(driver, kind, key, association, context, url))
        if context["hand_to_hand"]:
            owner_context = {**context, "for_owner": True}
            messages += [Message(o, kind, key, association, owner_context, url) for o in mine]
    return messages


# --- Approvals -----------------------------------------------------------------------------


def admins_told_at(booking: Booking) -> dt.datetime:
    """When the admins hear of a request still waiting for the owner's answer."""
    escalate = min(
        booking.created_at + APPROVAL_ADMINS_AFTER, booking.start - APPROVAL_ADMINS_BEFORE_START
    )
    return max(escalate, booking.created_at + APPROVAL_OWNER_FIRST)


def scan_approvals(*, now: dt.datetime) -> ScanCounts:
    """Requested bookings: the owners (the admins for the association's cars) are asked at
    once; the admins are told when the owner has not answered in time."""
    counts = ScanCounts()
    waiting = _bookings(status=Booking.Status.REQUESTED, start__gt=now)
    for batch in batched(waiting):
        counts.checked += len(batch)
        counts.add(queue_notifications(_approval_messages(batch, now)))
    return counts


def _approval_messages(bookings: list[Booking], now: dt.datetime) -> list[Message]:
    owners = owners_by_vehicle(b.vehicle_id for b in bookings)
    admins = admins_by_association(b.vehicle.association_id for b in bookings)
    messages: list[Message] = []
    for booking in bookings:
        association = booking.vehicle.association
        context = {
            "vehicle": str(booking.vehicle),
            "driver": booking.driver.user.display_name,
            "start": booking.start,
            "end": booking.end,
            "requested_at": booking.created_at,
        }
        admins_here = admins.get(association.pk, [])
        approvers = owners.get(booking.vehicle_id) or admins_here
        kind, url = APPROVAL_PENDING, _url(booking)
        key = f"booking:{booking.pk}:approvers"
        messages += [Message(u, kind, key, association, context, url) for u in approvers]
        if now < admins_told_at(booking):
            continue
        escalated = {**context, "for_admin": True}
        messages += [
            Message(admin, kind, f"booking:{booking.pk}:admins", association, escalated, url)
            for admin in admins_here
            if admin not in approvers
        ]
    return messages


# --- Returns -------------------------------------------------------------------------------


def scan_returns(*, now: dt.datetime) -> ScanCounts:
    """Cars out: the return is due at the end (the driver), overdue an hour later (the
    driver, the admins and the next driver if the car is booked soon). Bookings never
    checked out: the driver is asked to record the trip, the admins a day later."""
    counts = ScanCounts()
    since = now - dt.timedelta(days=CATCH_UP_DAYS)
    out = _bookings(status=Booking.Status.IN_PROGRESS, end__lte=now, end__gte=since)
    for batch in batched(out):
        counts.checked += len(batch)
        counts.add(queue_notifications(_return_messages(batch, now)))
    unrecorded = _bookings(
        status=Booking.Status.CONFIRMED, end__lte=now - NOT_RECORDED_DRIVER_AFTER, end__gte=since
    )
    for batch in batched(unrecorded):
        counts.checked += len(batch)
        counts.add(queue_notifications(_unrecorded_messages(batch, now)))
    return counts


def _return_messages(bookings: list[Booking], now: dt.datetime) -> list[Message]:
    admins = admins_by_association(b.vehicle.association_id for b in bookings)
    following = _next_bookings(bookings, now)
    messages: list[Message] = []
    for booking in bookings:
        association, driver = booking.vehicle.association, booking.driver.user
        context = {
            "vehicle": str(booking.vehicle),
            "end": booking.end,
            "driver": driver.display_name,
            "driver_phone": driver.phone,
        }
        url = _url(booking)
        if now < booking.end + OVERDUE_AFTER:
            key = f"booking:{booking.pk}:due:{utc_stamp(booking.end)}"
            messages.append(Message(driver, RETURN_DUE, key, association, context, url))
            continue
        key = f"booking:{booking.pk}:overdue:{utc_stamp(booking.end)}"
        nxt = following.get(booking.pk)
        context["next_start"] = nxt.start if nxt else None
        kind = RETURN_OVERDUE
        messages.append(Message(driver, kind, key, association, {**context, "role": "driver"}, url))
        messages += [
            Message(admin, kind, key, association, {**context, "role": "admin"}, url)
            for admin in admins.get(association.pk, [])
            if admin != driver
        ]
        if nxt is not None and nxt.driver.user != driver:
            messages.append(
                Message(
                    nxt.driver.user,
                    kind,
                    key,
                    association,
                    {**context, "role": "next_driver"},
                    _url(nxt),
                )
            )
    return messages


def _next_bookings(bookings: list[Booking], now: dt.datetime) -> dict[int, Booking]:
    """For each late booking, the vehicle's next booking starting soon (one query)."""
    if not bookings:
        return {}
    upcoming = list(
        _bookings(
            vehicle_id__in={b.vehicle_id for b in bookings},
            status__in=[Booking.Status.REQUESTED, Booking.Status.CONFIRMED],
            start__gte=min(b.end for b in bookings),
            start__lt=now + NEXT_DRIVER_WITHIN,
        ).order_by("start")
    )
    found: dict[int, Booking] = {}
    for booking in bookings:
        found_next = next(
            (u for u in upcoming if u.vehicle_id == booking.vehicle_id and u.start >= booking.end),
            None,
        )
        if found_next is not None:
            found[booking.pk] = found_next
    return found


def _unrecorded_messages(bookings: list[Booking], now: dt.datetime) -> list[Message]:
    admins = admins_by_association(b.vehicle.association_id for b in bookings)
    messages: list[Message] = []
    for booking in bookings:
        association, driver = booking.vehicle.association, booking.driver.user
        context = {
            "vehicle": str(booking.vehicle),
            "start": booking.start,
            "end": booking.end,
            "driver": driver.display_name,
        }
        kind, url = TRIP_NOT_CHECKED_IN, _url(booking)
        messages.append(
            Message(driver, kind, f"booking:{booking.pk}:driver", association, context, url)
        )
        if now >= booking.end + NOT_RECORDED_ADMINS_AFTER:
            messages += [
                Message(
                    admin,
                    kind,
                    f"booking:{booking.pk}:admins",
                    association,
                    {**context, "for_admin": True},
                    url,
                )
                for admin in admins.get(association.pk, [])
                if admin != driver
            ]
    return messages


# --- Nightly checks of future bookings ----------------------------------------------------

# Agreements are the next check's business: one flag per problem.
AGREEMENT_CODES = frozenset({NO_AGREEMENT, AGREEMENT_OUTDATED})
FUTURE = (Booking.Status.REQUESTED, Booking.Status.CONFIRMED)


def _associations_with_future_bookings(now: dt.datetime, **filters: Any) -> QuerySet[Association]:
    booked = Booking.objects.filter(status__in=FUTURE, start__gt=now).values("vehicle__association")
    return Association.objects.filter(pk__in=booked, **filters).order_by("pk")


def scan_ineligible_bookings(*, now: dt.datetime) -> ScanCounts:
    """Future bookings whose driver no longer meets the rules (a licence expired, a
    young-driver rule, the insurance, the membership…): flagged to the admins with the
    reasons, by bookings' own eligibility rules. A new reason flags the booking again."""
    counts = ScanCounts()
    for association in _associations_with_future_bookings(now):
        admins = admins_by_association([association.pk]).get(association.pk, [])
        future = _bookings(vehicle__association=association, status__in=FUTURE, start__gt=now)
        for batch in batched(future):
            counts.checked += len(batch)
            results = eligibility_of_bookings(batch)
            messages = [
                message
                for booking in batch
                for message in _ineligible_messages(booking, results[booking.pk].refusals, admins)
            ]
            counts.add(queue_notifications(messages))
    return counts


def _ineligible_messages(
    booking: Booking, refusals: list[Reason], admins: list[User]
) -> list[Message]:
    reasons = [r for r in refusals if r.code not in AGREEMENT_CODES]
    if not reasons:
        return []
    context = {
        "vehicle": str(booking.vehicle),
        "driver": booking.driver.user.display_name,
        "start": booking.start,
        "end": booking.end,
        "reasons": [{"code": r.code, "message": r.message} for r in reasons],
    }
    key = f"booking:{booking.pk}:{'+'.join(sorted(r.code for r in reasons))}"
    association, url = booking.vehicle.association, _url(booking)
    return [Message(admin, BOOKING_INELIGIBLE, key, association, context, url) for admin in admins]


def scan_bookings_without_agreement(*, now: dt.datetime) -> ScanCounts:
    """Future bookings by drivers without a current agreement for the car (none, or one to
    re-sign), in associations that require agreements: flagged to the admins."""
    counts = ScanCounts()
    for association in _associations_with_future_bookings(now, agreement_required=True):
        statuses = agreement_status_map(association=association)
        admins = admins_by_association([association.pk]).get(association.pk, [])
        future = _bookings(vehicle__association=association, status__in=FUTURE, start__gt=now)
        for batch in batched(future):
            counts.checked += len(batch)
            messages = [
                message
                for booking in batch
                for message in _agreement_messages(
                    booking, statuses.get((booking.driver_id, booking.vehicle_id), "none"), admins
                )
            ]
            counts.add(queue_notifications(messages))
    return counts


def _agreement_messages(
    booking: Booking, status: AgreementStatus, admins: list[Any]
) -> list[Message]:
    if status == "current":
        return []
    context = {
        "vehicle": str(booking.vehicle),
        "driver": booking.driver.user.display_name,
        "start": booking.start,
        "status": status,
    }
    key = f"booking:{booking.pk}:{status}"
    association, url = booking.vehicle.association, _url(booking)
    return [
        Message(admin, BOOKING_WITHOUT_AGREEMENT, key, association, context, url)
        for admin in admins
    ]


def scan_announcements(*, now: dt.datetime) -> ScanCounts:
    """Announcements not queued yet (publishing queues this job; the schedule catches up
    after a broker outage): one notification per member of the audience."""
    counts = ScanCounts()
    waiting = Announcement.objects.filter(
        delivered_at__isnull=True, created_at__lte=now
    ).select_related("association")
    for batch in batched(waiting):
        counts.checked += len(batch)
        for announcement in batch:
            actor = SystemActor(announcement.association, ANNOUNCEMENTS_JOB)
            counts.add(deliver_announcement(actor=actor, announcement=announcement))
    return counts


# --- The owners' monthly summary ----------------------------------------------------------


def scan_owner_summaries(*, now: dt.datetime) -> ScanCounts:
    """Each owner's summary of last month, once a month (bookings.owner_summaries)."""
    return owner_summaries.summarise_last_month(now=now)


JOBS = [
    Job(
        "booking_reminders",
        _("Reminders before a booking starts"),
        _("every 5 minutes"),
        scan_booking_starts,
    ),
    Job("approvals", _("Bookings waiting for approval"), _("every 5 minutes"), scan_approvals),
    Job(
        "returns",
        _("Returns due and overdue, trips not recorded"),
        _("every 5 minutes"),
        scan_returns,
    ),
    Job(
        "ineligible_bookings",
        _("Future bookings whose driver no longer meets the rules"),
        _("every night at 04:30"),
        scan_ineligible_bookings,
    ),
    Job(
        "bookings_without_agreement",
        _("Future bookings without a current agreement"),
        _("every night at 04:45"),
        scan_bookings_without_agreement,
    ),
    Job(
        "announcements",
        _("Announcements of the administrators"),
        _("as soon as one is written, and every minute"),
        scan_announcements,
    ),
    Job(
        "owner_summaries",
        _("Owners' monthly summary of their cars"),
        _("every day at 08:30 (each owner once a month)"),
        scan_owner_summaries,
    ),
]
