"""Calendar feeds: the member's page of feed addresses, and the secret-token feeds."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bookings.ical import calendar_of
from bookings.models import Booking, CalendarFeed
from bookings.selectors.bookings import managed_vehicle_ids
from bookings.services.feeds import get_or_create_feed, regenerate_feed
from core.errors import ForbiddenError
from members.access import AssociationRequest, member_required
from members.models import Membership
from vehicles.access import can_manage_vehicle, get_vehicle_for_member
from vehicles.models import Vehicle

FEED_HISTORY = dt.timedelta(days=90)


@require_safe
@member_required
def feeds(request: AssociationRequest, slug: str) -> HttpResponse:
    """The addresses of my feed and of the feeds of the vehicles I manage."""
    membership = request.membership
    vehicles = Vehicle.objects.filter(pk__in=managed_vehicle_ids(membership)).order_by("name")
    context = {
        "site_url": settings.SITE_URL,
        "member_feed": get_or_create_feed(actor=membership),
        "vehicle_feeds": [get_or_create_feed(actor=membership, vehicle=v) for v in vehicles],
    }
    return render(request, "bookings/feeds.html", context)


@require_POST
@member_required
def regenerate(request: AssociationRequest, slug: str) -> HttpResponse:
    raw = request.POST.get("vehicle", "")
    vehicle = None
    if raw.isdigit() and len(raw) < 10:
        vehicle = get_vehicle_for_member(request.membership, int(raw))
    try:
        regenerate_feed(actor=request.membership, vehicle=vehicle)
    except ForbiddenError:  # a vehicle of the association that the member does not manage
        raise PermissionDenied from None
    messages.success(request, _("New address made: the old one no longer works."))
    return redirect("bookings:feeds", slug=slug)


def _feed(token: str) -> CalendarFeed:
    feed = (
        CalendarFeed.objects.select_related("membership__association", "vehicle")
        .filter(token=token)
        .first()
    )
    if feed is None or feed.membership.status != Membership.Status.ACTIVE:
        raise Http404
    return feed


def _ics(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_safe
def member_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The member's bookings (from 90 days ago), for their calendar application."""
    feed = _feed(token)
    if feed.vehicle is not None:
        raise Http404
    bookings = _recent(Booking.objects.filter(driver=feed.membership))
    association = feed.membership.association
    return _ics(calendar_of(bookings, name=association.name, tz=association.tz))


@require_safe
def vehicle_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A vehicle's bookings, for its owners and the admins (checked at every fetch)."""
    feed = _feed(token)
    if feed.vehicle is None or not can_manage_vehicle(feed.membership, feed.vehicle):
        raise Http404
    bookings = _recent(Booking.objects.filter(vehicle=feed.vehicle))
    tz = feed.membership.association.tz
    return _ics(calendar_of(bookings, name=feed.vehicle.name, tz=tz))


def _recent(bookings: QuerySet[Booking]) -> list[Booking]:
    return list(
        bookings.filter(end__gte=timezone.now() - FEED_HISTORY)
        .exclude(status__in=[Booking.Status.REFUSED, Booking.Status.CANCELLED])
        .select_related("vehicle__association", "driver__user")
        .order_by("start")[:2000]
    )
