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


def _check(actor: Membership, vehicle: Vehicle | None) -> None:
    if vehicle is not None and not can_manage_vehicle(actor, vehicle):
        raise ForbiddenError(
            _("Only the vehicle's owners and the administrators have its feed."),
            code="forbidden",
        )


def get_or_create_feed(*, actor: Membership, vehicle: Vehicle | None = None) -> CalendarFeed:
    """The member's feed (or their feed of a vehicle they manage), made on first use."""
    _check(actor, vehicle)
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.get_or_create(
            membership=actor,
            vehicle=vehicle,
            defaults={"token": secrets.token_urlsafe(32)},
        )
    return feed


def regenerate_feed(*, actor: Membership, vehicle: Vehicle | None = None) -> CalendarFeed:
    """A member asks for a new secret: the old address stops working at once."""
    feed = get_or_create_feed(actor=actor, vehicle=vehicle)
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
        feed.token = secrets.token_urlsafe(32)
        feed.save(update_fields=["token"])
        record_audit(
            action="calendar_feed.regenerate",
            actor=actor.user,
            association=actor.association,
            target=feed,
        )
    return feed
