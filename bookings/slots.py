"""Checks of a requested time slot that come before any rule of the vehicle or the driver."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError, ForbiddenError

# A booking may start a little before "now": someone who books at 14:03 for 14:00 means now.
START_GRACE = dt.timedelta(minutes=15)
# The longest booking of any vehicle, whatever its own limit (about three months).
MAX_BOOKING = dt.timedelta(days=92)
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def validate_range(start: dt.datetime, end: dt.datetime) -> None:
    """400 unless start and end are aware, within 2000–2100, and end is after start."""
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise DomainError(_("Give the start and the end with their time zone."), code="naive")
    if not (EARLIEST <= start < LATEST and EARLIEST <= end < LATEST):
        raise DomainError(_("Give dates between the years 2000 and 2099."), code="out_of_range")
    if end <= start:
        raise DomainError(
            _("The end must be after the start."), code="end_before_start", field="end"
        )


def validate_new_slot(start: dt.datetime, end: dt.datetime) -> None:
    """A slot for a new booking: a valid range, not in the past, not absurdly long."""
    validate_range(start, end)
    if start < timezone.now() - START_GRACE:
        raise DomainError(
            _("The start is in the past. Choose a start from now on."),
            code="start_in_past",
            field="start",
        )
    if end - start > MAX_BOOKING:
        raise ForbiddenError(
            _("A booking lasts three months at most. Shorten it or split it in several."),
            code="too_long",
        )
