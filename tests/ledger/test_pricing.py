from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from ledger.pricing import estimate_trip_cost, hours_per_local_day
from tests.ledger.conftest import at
from vehicles.models import Tariff

PARIS = ZoneInfo("Europe/Paris")


def tariff(per_km, per_hour=None, cap=None):
    # An unsaved tariff: the estimate runs no query.
    return Tariff(
        price_per_km=Decimal(per_km),
        price_per_hour=Decimal(per_hour) if per_hour else None,
        daily_hour_cap=Decimal(cap) if cap else None,
    )


def test_123_km_at_30_cents_costs_36_90():
    cost = estimate_trip_cost(
        tariff=tariff("0.300"),
        km=123,
        started_at=at(2026, 11, 3, 9),
        ended_at=at(2026, 11, 3, 12),
        tz=PARIS,
    )
    assert cost == Decimal("36.90")


def test_zoe_seven_hours_and_40_km_costs_14_20():
    # 40 × 0.18 + min(7 × 1, 10) = 7.20 + 7.00
    cost = estimate_trip_cost(
        tariff=tariff("0.180", "1.00", "10.00"),
        km=40,
        started_at=at(2026, 11, 3, 9),
        ended_at=at(2026, 11, 3, 16),
        tz=PARIS,
    )
    assert cost == Decimal("14.20")


def test_hourly_charge_is_capped_per_local_day():
    # 14 h on one day: capped at 10 €, plus 0 km.
    cost = estimate_trip_cost(
        tariff=tariff("0.180", "1.00", "10.00"),
        km=0,
        started_at=at(2026, 11, 3, 6),
        ended_at=at(2026, 11, 3, 20),
        tz=PARIS,
    )
    assert cost == Decimal("10.00")


def test_a_trip_over_three_days_is_capped_on_each_local_day():
    # Mon 18:00 → Wed 10:00: 6 h (6 €) + 24 h (capped 10 €) + 10 h (capped 10 €) = 26 €.
    cost = estimate_trip_cost(
        tariff=tariff("0.000", "1.00", "10.00"),
        km=0,
        started_at=at(2026, 11, 2, 18),
        ended_at=at(2026, 11, 4, 10),
        tz=PARIS,
    )
    assert cost == Decimal("26.00")


def test_partial_hours_count_pro_rata():
    # 1 h 30 min at 1 €/h = 1.50 €, no "started hour" rounding.
    cost = estimate_trip_cost(
        tariff=tariff("0.000", "1.00"),
        km=0,
        started_at=at(2026, 11, 3, 9),
        ended_at=at(2026, 11, 3, 10, 30),
        tz=PARIS,
    )
    assert cost == Decimal("1.50")


def test_splitting_at_midnight_costs_no_more_than_the_same_hours_in_one_day():
    # 23:00 → 01:00 across midnight: 1 h + 1 h = 2 €, as 2 h in one day would be.
    cost = estimate_trip_cost(
        tariff=tariff("0.000", "1.00", "10.00"),
        km=0,
        started_at=at(2026, 11, 3, 23),
        ended_at=at(2026, 11, 4, 1),
        tz=PARIS,
    )
    assert cost == Decimal("2.00")


def test_the_day_of_the_autumn_dst_change_has_25_real_hours():
    # 25 Oct 2026 in Paris lasts 25 hours; without a cap the whole day costs 25 €.
    parts = hours_per_local_day(at(2026, 10, 25), at(2026, 10, 26), PARIS)
    assert parts == [(at(2026, 10, 25).date(), Decimal(25))]
    cost = estimate_trip_cost(
        tariff=tariff("0.000", "1.00"),
        km=0,
        started_at=at(2026, 10, 25),
        ended_at=at(2026, 10, 26),
        tz=PARIS,
    )
    assert cost == Decimal("25.00")


def test_the_total_is_rounded_once_half_up():
    # 1 km at 0.005 € + nothing else: 0.005 → 0.01
    cost = estimate_trip_cost(
        tariff=tariff("0.005"),
        km=1,
        started_at=at(2026, 11, 3, 9),
        ended_at=at(2026, 11, 3, 10),
        tz=PARIS,
    )
    assert cost == Decimal("0.01")


def test_bad_trips_are_refused():
    with pytest.raises(ValueError, match="negative"):
        estimate_trip_cost(
            tariff=tariff("0.3"),
            km=-1,
            started_at=at(2026, 1, 1),
            ended_at=at(2026, 1, 2),
            tz=PARIS,
        )
    with pytest.raises(ValueError, match="end after"):
        estimate_trip_cost(
            tariff=tariff("0.3"), km=1, started_at=at(2026, 1, 2), ended_at=at(2026, 1, 2), tz=PARIS
        )


def test_the_estimate_runs_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        estimate_trip_cost(
            tariff=tariff("0.180", "1.00", "10.00"),
            km=40,
            started_at=at(2026, 11, 3, 9),
            ended_at=at(2026, 11, 3, 16),
            tz=PARIS,
        )
