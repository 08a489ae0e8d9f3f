"""Secret-token calendar feeds: created on first need, regenerated on request."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from bookings.models import CalendarFeed
from core.errors import ForbiddenError
from members.audit import record_audit
from members.models import Membership
from vehicles.access import can_manage_vehicle
from vehicles.models import Vehicle


def _check(membership: Membership, vehicle: Vehicle | None) -> None:
    if vehicle is not None and not can_manage_vehicle(membership, vehicle):
        raise ForbiddenError(
            _("Only the vehicle's owners and the administrators have its feed."),
            code="forbidden",
        )


def get_or_create_feed(*, membership: Membership, vehicle: Vehicle | None = None) -> CalendarFeed:
    """The member's feed (or their feed of a vehicle they manage), made on first use."""
    _check(membership, vehicle)
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.get_or_create(
            membership=membership,
            vehicle=vehicle,
            defaults={"token": secrets.token_urlsafe(32)},
        )
    return feed


def regenerate_feed(*, membership: Membership, vehicle: Vehicle | None = None) -> CalendarFeed:
    """A new secret: the old address stops working at once."""
    feed = get_or_create_feed(membership=membership, vehicle=vehicle)
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
        feed.token = secrets.token_urlsafe(32)
        feed.save(update_fields=["token"])
        record_audit(
            action="calendar_feed.regenerate",
            actor=membership.user,
            association=membership.association,
            target=feed,
        )
    return feed
