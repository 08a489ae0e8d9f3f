"""Probation and young-driver rules at their boundaries."""

import datetime as dt

import pytest

from members.drivers import completed_years, probation_end, young_driver_status

D = dt.date


def _probation(issued, *, aac=False, training=False):
    return probation_end(
        licence_issued_on=issued, accompanied_driving=aac, post_licence_training=training
    )


def _status(*, on, birth=None, issued=None, aac=False, training=False, **rule):
    return young_driver_status(
        birth_date=birth or D(2000, 1, 1),
        licence_issued_on=issued or D(2020, 1, 1),
        accompanied_driving=aac,
        post_licence_training=training,
        on=on,
        min_age=rule.get("min_age", 21),
        min_licence_years=rule.get("min_licence_years", 2),
    )


@pytest.mark.parametrize(
    ("aac", "training", "end"),
    [
        (False, False, D(2027, 6, 15)),  # 3 years
        (True, False, D(2026, 6, 15)),  # 2 years after accompanied driving
        (False, True, D(2026, 6, 15)),  # 2 years after the post-licence training
        (True, True, D(2025, 12, 15)),  # 18 months with both
    ],
)
def test_probation_length_depends_on_aac_and_training(aac, training, end):
    assert _probation(D(2024, 6, 15), aac=aac, training=training) == end


def test_probation_ends_on_the_anniversary_day_not_the_day_before():
    issued = D(2023, 4, 10)
    assert _status(issued=issued, on=D(2026, 4, 9)).on_probation
    assert not _status(issued=issued, on=D(2026, 4, 10)).on_probation


def test_probation_from_29_february_ends_on_1_march_of_a_common_year():
    assert _probation(D(2024, 2, 29)) == D(2027, 3, 1)
    assert _probation(D(2024, 2, 29), aac=True) == D(2026, 3, 1)
    assert _status(issued=D(2024, 2, 29), on=D(2027, 2, 28)).on_probation
    assert not _status(issued=D(2024, 2, 29), on=D(2027, 3, 1)).on_probation


def test_probation_from_29_february_ends_on_29_february_four_years_on():
    # 18 months from 29 August 2022 is the leap day itself
    assert _probation(D(2022, 8, 29), aac=True, training=True) == D(2024, 2, 29)


def test_eighteen_months_from_the_31st_ends_on_the_last_day_of_the_month():
    assert _probation(D(2023, 8, 31), aac=True, training=True) == D(2025, 2, 28)


def test_age_counts_on_the_birthday_itself():
    birth = D(2005, 9, 20)
    assert _status(birth=birth, on=D(2026, 9, 19)).age == 20
    assert _status(birth=birth, on=D(2026, 9, 19)).young_by_age
    assert _status(birth=birth, on=D(2026, 9, 20)).age == 21
    assert not _status(birth=birth, on=D(2026, 9, 20)).young_by_age


def test_person_born_on_29_february_comes_of_age_on_1_march():
    birth = D(2004, 2, 29)
    assert _status(birth=birth, on=D(2025, 2, 28)).age == 20
    assert _status(birth=birth, on=D(2025, 3, 1)).age == 21
    assert _status(birth=birth, on=D(2028, 2, 29)).age == 24


def test_licence_years_turn_on_the_anniversary():
    issued = D(2024, 11, 3)
    before = _status(issued=issued, on=D(2026, 11, 2))
    on_day = _status(issued=issued, on=D(2026, 11, 3))
    assert (before.licence_years, before.young_by_licence) == (1, True)
    assert (on_day.licence_years, on_day.young_by_licence) == (2, False)


def test_young_by_either_rule():
    old_with_new_licence = _status(birth=D(1970, 1, 1), issued=D(2026, 1, 1), on=D(2026, 11, 26))
    assert old_with_new_licence.is_young
    assert old_with_new_licence.young_by_licence and not old_with_new_licence.young_by_age
    young_with_old_licence = _status(
        birth=D(2006, 1, 1), issued=D(2023, 1, 1), on=D(2026, 11, 26), min_licence_years=3
    )
    assert young_with_old_licence.is_young
    assert young_with_old_licence.young_by_age and not young_with_old_licence.young_by_licence
    seasoned = _status(birth=D(1980, 1, 1), issued=D(2000, 1, 1), on=D(2026, 11, 26))
    assert not seasoned.is_young
    assert not seasoned.on_probation


def test_rule_thresholds_come_from_the_caller():
    status = _status(birth=D(2001, 6, 1), issued=D(2021, 6, 1), on=D(2026, 11, 26))
    assert not status.is_young
    stricter = _status(birth=D(2001, 6, 1), issued=D(2021, 6, 1), on=D(2026, 11, 26), min_age=26)
    assert stricter.is_young and stricter.young_by_age


def test_status_reports_the_probation_end_with_aac():
    status = _status(issued=D(2025, 5, 5), aac=True, on=D(2026, 11, 26))
    assert status.probation_end == D(2027, 5, 5)
    assert status.on_probation


def test_licence_issued_after_the_day_counts_as_zero_years():
    assert completed_years(D(2027, 1, 1), D(2026, 11, 26)) == 0
    assert _status(issued=D(2027, 1, 1), on=D(2026, 11, 26)).licence_years == 0


def test_status_is_frozen():
    status = _status(on=D(2026, 11, 26))
    with pytest.raises(AttributeError):
        status.age = 3
