"""The price of a trip from a tariff: pure, so bookings can quote it before booking.

    price = km × price_per_km + Σ over local calendar days of min(hours that day × price_per_hour,
                                                                  daily_hour_cap)

- Time counts pro rata to the second (a trip of 1 h 30 min is 1.5 hours): no "started hour"
  rounding, so splitting a trip at midnight never costs more than not splitting it.
- A trip across several days is cut at local midnight in the association's zone; each day's
  hourly charge is capped separately (a DST day lasts 23 or 25 hours: real durations count).
- The unrounded parts are added and the total rounded once, half-up, to the cent.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.money import ZERO, round_money
from core.timeutils import day_bounds, real_duration
from vehicles.models import Tariff

SECONDS_PER_HOUR = Decimal(3600)


def hours_per_local_day(
    started_at: dt.datetime, ended_at: dt.datetime, tz: ZoneInfo
) -> list[tuple[dt.date, Decimal]]:
    """(local day, hours spent in it) for each local calendar day the trip touches."""
    parts: list[tuple[dt.date, Decimal]] = []
    day = started_at.astimezone(tz).date()
    while True:
        day_start, day_end = day_bounds(day, tz)
        start, end = max(started_at, day_start), min(ended_at, day_end)
        if end > start:
            seconds = Decimal(int(real_duration(start, end).total_seconds()))
            parts.append((day, seconds / SECONDS_PER_HOUR))
        if ended_at <= day_end:
            return parts
        day += dt.timedelta(days=1)


def trip_hours(started_at: dt.datetime, ended_at: dt.datetime) -> Decimal:
    """The trip's real duration in hours, to the cent of an hour (for display)."""
    seconds = Decimal(int(real_duration(started_at, ended_at).total_seconds()))
    return (seconds / SECONDS_PER_HOUR).quantize(Decimal("0.01"))


def hourly_charge(
    tariff: Tariff, started_at: dt.datetime, ended_at: dt.datetime, tz: ZoneInfo
) -> Decimal:
    """The unrounded time part of the price, capped per local day."""
    if not tariff.price_per_hour:
        return ZERO
    total = Decimal(0)
    for _day, hours in hours_per_local_day(started_at, ended_at, tz):
        day_charge = hours * tariff.price_per_hour
        if tariff.daily_hour_cap is not None:
            day_charge = min(day_charge, tariff.daily_hour_cap)
        total += day_charge
    return total


def estimate_trip_cost(
    *, tariff: Tariff, km: int, started_at: dt.datetime, ended_at: dt.datetime, tz: ZoneInfo
) -> Decimal:
    """The price of a trip at `tariff`, rounded once to the cent. Runs no query.

    Raises ValueError on negative km or a trip that does not end after it starts.
    """
    if km < 0:
        raise ValueError("km must not be negative")
    if ended_at <= started_at:
        raise ValueError("a trip must end after it starts")
    distance = Decimal(km) * tariff.price_per_km
    return round_money(distance + hourly_charge(tariff, started_at, ended_at, tz))
