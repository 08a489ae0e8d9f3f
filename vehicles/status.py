"""Status badges of a vehicle (fleet page, vehicle page, API), as a pure function of dates.

- insurance: no active policy, an active policy not yet in force, or one whose last day
  (`valid_until`) is before today;
- roadworthiness test: the latest test's next due date is within [today, today + 30 days]
  (due soon) or before today (overdue); a car with no test recorded gets no badge (a car
  needs its first test only at four years);
- inactive: the owner or an admin took the car out of the fleet.

"Today" is the association's local date (callers pass `local_today(association.tz)`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

ROADWORTHINESS_WARNING_DAYS = 30


class VehicleStatus(models.TextChoices):
    INSURANCE_MISSING = "insurance_missing", _("no insurance")
    INSURANCE_NOT_STARTED = "insurance_not_started", _("insurance not yet in force")
    INSURANCE_EXPIRED = "insurance_expired", _("insurance expired")
    ROADWORTHINESS_DUE = "roadworthiness_due", _("roadworthiness test due soon")
    ROADWORTHINESS_OVERDUE = "roadworthiness_overdue", _("roadworthiness test overdue")
    INACTIVE = "inactive", _("inactive")


# The badge class of app.css each status is shown with.
TONES = {
    VehicleStatus.INSURANCE_MISSING: "danger",
    VehicleStatus.INSURANCE_NOT_STARTED: "danger",
    VehicleStatus.INSURANCE_EXPIRED: "danger",
    VehicleStatus.ROADWORTHINESS_DUE: "warning",
    VehicleStatus.ROADWORTHINESS_OVERDUE: "danger",
    VehicleStatus.INACTIVE: "inactive",
}


@dataclass(frozen=True)
class StatusBadge:
    status: VehicleStatus
    on: dt.date | None = None  # the date the badge refers to (expiry, due date)

    @property
    def tone(self) -> str:
        return TONES[self.status]

    @property
    def label(self) -> str:
        return str(self.status.label)

    @property
    def detail(self) -> str:
        """The label with its date, for people: "insurance expired (31 January 2026)"."""
        if self.on is None:
            return self.label
        return f"{self.label} ({date_format(self.on, 'DATE_FORMAT')})"


def status_badges(
    *,
    is_active: bool,
    policy_dates: tuple[dt.date, dt.date | None] | None,
    roadworthiness_due_on: dt.date | None,
    today: dt.date,
) -> list[StatusBadge]:
    """The badges of one vehicle, most serious first.

    `policy_dates` is (valid_from, valid_until) of the active policy, None without one.
    """
    badges: list[StatusBadge] = []
    insurance = insurance_badge(policy_dates, today)
    if insurance is not None:
        badges.append(insurance)
    roadworthiness = roadworthiness_badge(roadworthiness_due_on, today)
    if roadworthiness is not None:
        badges.append(roadworthiness)
    if not is_active:
        badges.append(StatusBadge(VehicleStatus.INACTIVE))
    return badges


def insurance_badge(
    policy_dates: tuple[dt.date, dt.date | None] | None, today: dt.date
) -> StatusBadge | None:
    if policy_dates is None:
        return StatusBadge(VehicleStatus.INSURANCE_MISSING)
    valid_from, valid_until = policy_dates
    if valid_from > today:
        return StatusBadge(VehicleStatus.INSURANCE_NOT_STARTED, valid_from)
    if valid_until is not None and valid_until < today:
        return StatusBadge(VehicleStatus.INSURANCE_EXPIRED, valid_until)
    return None


def roadworthiness_badge(due_on: dt.date | None, today: dt.date) -> StatusBadge | None:
    if due_on is None:
        return None
    if due_on < today:
        return StatusBadge(VehicleStatus.ROADWORTHINESS_OVERDUE, due_on)
    if due_on <= today + dt.timedelta(days=ROADWORTHINESS_WARNING_DAYS):
        return StatusBadge(VehicleStatus.ROADWORTHINESS_DUE, due_on)
    return None
