"""iCalendar (RFC 5545) output of bookings, times in the association's zone with its
VTIMEZONE, so calendars show 01:00–04:00 on a daylight-saving night as booked."""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from bookings.models import Booking


def calendar_of(bookings: Iterable[Booking], *, name: str, tz: ZoneInfo) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//carshare//bookings//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", tz.key)
    for booking in bookings:
        calendar.add_component(_event(booking, tz))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _event(booking: Booking, tz: ZoneInfo) -> Event:
    event = Event()
    host = settings.SITE_URL.split("//", 1)[-1]
    event.add("uid", f"booking-{booking.pk}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", booking.start.astimezone(tz))
    event.add("dtend", booking.end.astimezone(tz))
    event.add("summary", f"{booking.vehicle.name} · {booking.driver.user.display_name}")
    event.add("status", "TENTATIVE" if booking.status == Booking.Status.REQUESTED else "CONFIRMED")
    slug = booking.vehicle.association.slug
    event.add("url", f"{settings.SITE_URL}/{slug}/bookings/{booking.pk}/")
    if booking.note:
        event.add("description", booking.note)
    return event
