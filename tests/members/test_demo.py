"""The demo data tells the stories the README promises."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.timeutils import add_months
from members.drivers import DEFAULT_MIN_AGE, DEFAULT_MIN_LICENCE_YEARS
from members.models import DriverProfile, Membership
from members.selectors import driver_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def _status(email):
    profile = DriverProfile.objects.get(user__email=email)
    return driver_status(profile, timezone.localdate())


def test_lea_is_a_young_driver_by_age_and_licence(demo):
    status = _status("lea@villerouge.example")
    assert status.age == 19 < DEFAULT_MIN_AGE
    assert status.licence_years == 0 < DEFAULT_MIN_LICENCE_YEARS
    assert status.is_young and status.on_probation
    profile = DriverProfile.objects.get(user__email="lea@villerouge.example")
    assert profile.licence_issued_on == add_months(timezone.localdate(), -10)


def test_bruno_has_held_his_licence_15_years(demo):
    status = _status("bruno@villerouge.example")
    assert status.licence_years == 15
    assert not status.is_young


def test_associations_roles_and_statuses(demo):
    def role_status(email, slug):
        m = Membership.objects.get(user__email=email, association__slug=slug)
        return (m.role, m.status)

    assert role_status("admin@villerouge.example", "villerouge") == ("admin", "active")
    assert role_status("camille@villerouge.example", "villerouge") == ("member", "active")
    assert role_status("denis@villerouge.example", "villerouge") == ("member", "pending")
    assert role_status("admin@saint-martin.example", "saint-martin") == ("admin", "active")
    assert role_status("eve@saint-martin.example", "saint-martin") == ("member", "active")
    villerouge = Membership.objects.filter(association__slug="villerouge").first().association
    assert villerouge.name == "Autopartage de Villerouge"
