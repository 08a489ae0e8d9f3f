"""Pure functions on a driver's dates: probationary licence and young-driver status.

No database, no clock: callers pass the day they ask about (`on`), in the association's
zone. Booking eligibility and the nightly checks build on these, so the rules live here
once. Years are counted from date to date (French practice): a period that starts on
29 February ends on 1 March of a common year (see `core.timeutils.add_years`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.timeutils import add_months, add_years

# Probation lengths (Code de la route, art. L223-1 and R223-1).
PROBATION_YEARS = 3
PROBATION_YEARS_AFTER_AAC = 2
PROBATION_YEARS_AFTER_TRAINING = 2
PROBATION_MONTHS_AFTER_AAC_AND_TRAINING = 18

# Nobody holds a licence issued before their 14th birthday (France: 17; elsewhere 16, some
# 14): an earlier date is a typing mistake.
MIN_AGE_AT_LICENCE = 14

# What the member list calls a young driver when no vehicle's insurance is involved:
# the usual platform rule (at least 21 years old, licence held at least 2 years).
DEFAULT_MIN_AGE = 21
DEFAULT_MIN_LICENCE_YEARS = 2


def probation_end(
    *, licence_issued_on: dt.date, accompanied_driving: bool, post_licence_training: bool
) -> dt.date:
    """The first day the licence is no longer probationary (the anniversary day).

    3 years; 2 after accompanied driving (AAC); the post-licence training shortens it to
    2 years, or to 18 months after AAC. 18 months from the 31st of a month ends on the
    last day of the target month (`add_months` clamps).
    """
    if accompanied_driving and post_licence_training:
        return add_months(licence_issued_on, PROBATION_MONTHS_AFTER_AAC_AND_TRAINING)
    if accompanied_driving:
        return add_years(licence_issued_on, PROBATION_YEARS_AFTER_AAC)
    if post_licence_training:
        return add_years(licence_issued_on, PROBATION_YEARS_AFTER_TRAINING)
    return add_years(licence_issued_on, PROBATION_YEARS)


def completed_years(start: dt.date, on: dt.date) -> int:
    """Whole years from `start` to `on` (an age, a licence's seniority); 0 before `start`."""
    if on < start:
        return 0
    years = on.year - start.year
    if add_years(start, years) > on:
        years -= 1
    return years


@dataclass(frozen=True)
class YoungDriverStatus:
    """A driver's situation on one day, against one rule (minimum age, minimum licence years)."""

    on: dt.date
    age: int
    licence_years: int
    probation_end: dt.date
    on_probation: bool
    young_by_age: bool
    young_by_licence: bool
    is_young: bool

    @property
    def counts_as_young(self) -> bool:
        """What an insurer's young-driver rule applies to: below the rule's minimum age or
        licence years, or still on a probationary licence (years 1–3 carry the surcharge)."""
        return self.is_young or self.on_probation


def young_driver_status(
    *,
    birth_date: dt.date,
    licence_issued_on: dt.date,
    accompanied_driving: bool,
    post_licence_training: bool,
    on: dt.date,
    min_age: int,
    min_licence_years: int,
) -> YoungDriverStatus:
    """Age, licence seniority and probation on `on`, and whether the driver is young by
    the rule: younger than `min_age`, or licence held fewer than `min_licence_years` years.

    A licence issued after `on` counts as held 0 years (eligibility refuses it anyway).
    """
    age = completed_years(birth_date, on)
    licence_years = completed_years(licence_issued_on, on)
    end = probation_end(
        licence_issued_on=licence_issued_on,
        accompanied_driving=accompanied_driving,
        post_licence_training=post_licence_training,
    )
    young_by_age = age < min_age
    young_by_licence = licence_years < min_licence_years
    return YoungDriverStatus(
        on=on,
        age=age,
        licence_years=licence_years,
        probation_end=end,
        on_probation=on < end,
        young_by_age=young_by_age,
        young_by_licence=young_by_licence,
        is_young=young_by_age or young_by_licence,
    )
