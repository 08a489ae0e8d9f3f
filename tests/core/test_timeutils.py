import datetime as dt
from zoneinfo import ZoneInfo

from core.timeutils import add_months, add_years, day_bounds, make_local, real_duration

PARIS = ZoneInfo("Europe/Paris")


def test_spring_forward_night_lasts_two_hours_from_one_to_four():
    start = make_local(dt.date(2027, 3, 28), dt.time(1), PARIS)
    end = make_local(dt.date(2027, 3, 28), dt.time(4), PARIS)
    assert real_duration(start, end) == dt.timedelta(hours=2)


def test_fall_back_night_lasts_four_hours_from_one_to_four():
    start = make_local(dt.date(2026, 10, 25), dt.time(1), PARIS)
    end = make_local(dt.date(2026, 10, 25), dt.time(4), PARIS)
    assert real_duration(start, end) == dt.timedelta(hours=4)


def test_day_bounds_on_dst_days():
    start, end = day_bounds(dt.date(2027, 3, 28), PARIS)
    assert real_duration(start, end) == dt.timedelta(hours=23)
    start, end = day_bounds(dt.date(2026, 10, 25), PARIS)
    assert real_duration(start, end) == dt.timedelta(hours=25)


def test_anniversary_of_29_february_is_1_march_in_a_common_year():
    assert add_years(dt.date(2008, 2, 29), 18) == dt.date(2026, 3, 1)
    assert add_years(dt.date(2008, 2, 29), 20) == dt.date(2028, 2, 29)


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
