"""What bookings say before an account is deleted (members.privacy.register_deletion_check)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext

from bookings.models import Booking
from members.models import User

Status = Booking.Status


def bookings_in_the_way(user: User) -> list[str]:
    """A trip under way must be checked in, and future bookings cancelled, before the driver
    disappears: the car and the other members depend on them."""
    mine = Booking.objects.filter(driver__user=user)
    to_come = mine.filter(status__in=[Status.REQUESTED, Status.CONFIRMED], end__gt=timezone.now())
    reasons = []
    if mine.filter(status=Status.IN_PROGRESS).exists():
        reasons.append(gettext("a trip of yours is under way: record its return first."))
    if to_come.exists():
        reasons.append(gettext("you have bookings to come: cancel them first."))
    return reasons
