import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.factories.vehicles import InsurancePolicyFactory, VehicleDocumentFactory, VehicleFactory
from vehicles.status import (
    ROADWORTHINESS_WARNING_DAYS,
    VehicleStatus,
    insurance_badge,
    roadworthiness_badge,
    status_badges,
)

TODAY = dt.date(2026, 3, 15)
DAY = dt.timedelta(days=1)


def _statuses(**kwargs):
    defaults = {
        "is_active": True,
        "policy_dates": (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        "roadworthiness_due_on": None,
        "today": TODAY,
    }
    return [badge.status for badge in status_badges(**{**defaults, **kwargs})]


def test_a_valid_active_car_has_no_badge():
    assert _statuses() == []


def test_no_active_policy_is_a_missing_insurance():
    assert _statuses(policy_dates=None) == [VehicleStatus.INSURANCE_MISSING]


@pytest.mark.parametrize(
    ("valid_until", "expected"),
    [
        (TODAY + DAY, None),
        (TODAY, None),  # the last day of cover is still covered
        (TODAY - DAY, VehicleStatus.INSURANCE_EXPIRED),
        (None, None),  # open-ended policy
    ],
)
def test_insurance_expires_the_day_after_its_last_day(valid_until, expected):
    badge = insurance_badge((dt.date(2025, 1, 1), valid_until), TODAY)
    assert (badge.status if badge else None) == expected


def test_a_policy_starting_tomorrow_is_not_yet_in_force():
    badge = insurance_badge((TODAY + DAY, None), TODAY)
    assert badge.status == VehicleStatus.INSURANCE_NOT_STARTED
    assert insurance_badge((TODAY, None), TODAY) is None


@pytest.mark.parametrize(
    ("due_on", "expected"),
    [
        (TODAY - DAY, VehicleStatus.ROADWORTHINESS_OVERDUE),
        (TODAY, VehicleStatus.ROADWORTHINESS_DUE),
        (TODAY + 30 * DAY, VehicleStatus.ROADWORTHINESS_DUE),
        (TODAY + 31 * DAY, None),
        (None, None),
    ],
)
def test_roadworthiness_is_due_within_thirty_days_and_overdue_after(due_on, expected):
    badge = roadworthiness_badge(due_on, TODAY)
    assert (badge.status if badge else None) == expected
    assert ROADWORTHINESS_WARNING_DAYS == 30


def test_badges_come_most_serious_first_with_their_dates():
    badges = status_badges(
        is_active=False,
        policy_dates=(dt.date(2025, 1, 1), dt.date(2026, 3, 1)),
        roadworthiness_due_on=TODAY + 10 * DAY,
        today=TODAY,
    )
    assert [b.status for b in badges] == [
        VehicleStatus.INSURANCE_EXPIRED,
        VehicleStatus.ROADWORTHINESS_DUE,
        VehicleStatus.INACTIVE,
    ]
    assert [b.tone for b in badges] == ["danger", "warning", "inactive"]
    assert badges[0].on == dt.date(2026, 3, 1)
    assert "2026" in badges[0].detail


# Through the fleet page: "today" is the association's day (Europe/Paris), not UTC's.


@pytest.fixture
def insured_car(association):
    vehicle = VehicleFactory(association=association, name="Clio")
    InsurancePolicyFactory(
        vehicle=vehicle, valid_from=dt.date(2025, 4, 1), valid_until=dt.date(2026, 3, 31)
    )
    VehicleDocumentFactory(vehicle=vehicle, expires_on=dt.date(2026, 5, 1))
    return vehicle


def _fleet_statuses(client, association, prefix=""):
    response = client.get(reverse("vehicles:list", kwargs={"slug": association.slug}))
    assert response.status_code == 200
    summaries = response.context["summaries"]
    statuses = [badge.status for summary in summaries for badge in summary.badges]
    return [status for status in statuses if status.startswith(prefix)]


def test_on_the_last_evening_of_cover_in_paris_the_car_is_insured(
    member_client, association, insured_car
):
    with time_machine.travel(dt.datetime(2026, 3, 31, 21, 59, tzinfo=dt.UTC), tick=False):
        assert _fleet_statuses(member_client, association, "insurance") == []  # 23:59 Paris


def test_after_midnight_in_paris_the_insurance_has_expired(member_client, association, insured_car):
    # 22:00 UTC on 31 March is already 1 April in Paris (summer time)
    with time_machine.travel(dt.datetime(2026, 3, 31, 22, 0, tzinfo=dt.UTC), tick=False):
        assert _fleet_statuses(member_client, association, "insurance") == [
            VehicleStatus.INSURANCE_EXPIRED
        ]


def test_the_roadworthiness_badge_appears_thirty_days_before_in_paris(
    member_client, association, insured_car
):
    insured_car.insurance_policies.update(valid_until=None)
    with time_machine.travel(dt.datetime(2026, 3, 31, 21, 59, tzinfo=dt.UTC), tick=False):
        assert _fleet_statuses(member_client, association) == []  # 31 March: 31 days left
    with time_machine.travel(dt.datetime(2026, 3, 31, 22, 0, tzinfo=dt.UTC), tick=False):
        assert _fleet_statuses(member_client, association) == [VehicleStatus.ROADWORTHINESS_DUE]
    with time_machine.travel(dt.datetime(2026, 5, 1, 22, 0, tzinfo=dt.UTC), tick=False):
        assert _fleet_statuses(member_client, association) == [VehicleStatus.ROADWORTHINESS_OVERDUE]


def test_the_latest_test_counts_not_the_older_one(member_client, association, insured_car):
    insured_car.insurance_policies.update(valid_until=None)
    VehicleDocumentFactory(
        vehicle=insured_car, issued_on=dt.date(2026, 4, 20), expires_on=dt.date(2028, 4, 20)
    )
    with time_machine.travel(dt.datetime(2026, 4, 25, 10, 0, tzinfo=dt.UTC), tick=False):
        assert _fleet_statuses(member_client, association) == []
