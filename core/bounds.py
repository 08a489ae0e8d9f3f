"""Bounds of every number the project stores or reads (docs/SECURITY.md, "Bounds").

A number without a maximum is how an owner's `min_notice_hours = 2,147,483,647` turned
every booking of that car into a server error (a timedelta overflow). Each numeric model
field declares its bounds with `between()`, each form and input serializer field its
`min_value` and `max_value`; tests/security/test_numeric_walk.py walks all of them.
The limits are generous (a value people may really need is never refused) but finite.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator

# Odometers, km in a trip or a maintenance record: more than any car ever drives.
MAX_ODOMETER_KM = 2_000_000
# One amount typed by a person (a payment, an expense, a repair): below a million euros.
MAX_AMOUNT = Decimal("999999.99")
# A membership fee or a fixed deposit.
MAX_FEE = Decimal("10000.00")
# An insurance deductible (franchise), ordinary or for young drivers.
MAX_DEDUCTIBLE = Decimal("50000.00")
# Prices of a tariff.
MAX_PRICE_PER_KM = Decimal("10.000")
MAX_PRICE_PER_HOUR = Decimal("1000.00")
MAX_PRICE_PER_DAY = Decimal("10000.00")
# Hours and minutes of a vehicle's booking rules.
MAX_NOTICE_HOURS = 24 * 30  # a month ahead
MAX_BOOKING_HOURS = 24 * 90  # a quarter
MAX_BUFFER_MINUTES = 24 * 60  # a day between two bookings
MAX_LATE_EXTENSION_HOURS = 72  # one report of a late return
# A vehicle's tank (litres) or battery (kWh): a large van holds 100 litres.
MAX_TANK_CAPACITY = 300
# Counters written by the platform itself (attempts, rows seen by a job, versions).
MAX_COUNT = 2_000_000_000
# Version counters that triggers bump on every write (core.versioning): a bigint's maximum.
MAX_VERSION = 2**63 - 1


def between(low: Any, high: Any) -> list[Any]:
    """The validators of a number from `low` to `high` (both included)."""
    return [MinValueValidator(low), MaxValueValidator(high)]
