"""Abuse cases of the logbook page: a member typing trips, another association's car or
driver slipped into the page, an oversized page. Nothing is ever saved, never a 500."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bookings.models import Booking
from tests.bookings.helpers import shared_vehicle
from tests.bookings.logbook_helpers import logbook_page, trip
from tests.factories.members import DriverProfileFactory, MembershipFactory

pytestmark = pytest.mark.django_db
URL = "/testville/logbook/new/"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 11, 26, 10, tzinfo=ZoneInfo("Europe/Paris"))):
        yield


@pytest.fixture
def car(admin, member):
    return shared_vehicle(admin, member, name="Kangoo")


def test_a_member_cannot_type_in_trips(member_client, member, car):
    page = logbook_page(car, trip(member, 2, (9, 12), ("100", "150")))
    assert member_client.post(URL, page).status_code == 403
    assert not Booking.objects.exists()


def test_another_associations_car_is_not_a_choice(admin_client_, member, outsider):
    their_car = shared_vehicle(outsider, name="Leur voiture")
    page = logbook_page(their_car, trip(member, 2, (9, 12), ("100", "150")))
    response = admin_client_.post(URL, page)
    assert response.status_code == 200
    assert response.context["vehicle_form"].errors["vehicle"]
    assert not Booking.objects.exists()


def test_another_associations_driver_is_not_a_choice(admin_client_, car, outsider):
    response = admin_client_.post(URL, logbook_page(car, trip(outsider, 2, (9, 12), ("1", "2"))))
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["driver"]
    assert not Booking.objects.filter(driver=outsider).exists()


def test_a_pending_member_is_not_a_choice(admin_client_, car, association):
    pending = MembershipFactory(association=association, status="pending")
    DriverProfileFactory(user=pending.user)
    response = admin_client_.post(URL, logbook_page(car, trip(pending, 2, (9, 12), ("1", "2"))))
    assert response.context["formset"].forms[0].errors["driver"]
    assert not Booking.objects.exists()


def test_an_oversized_page_is_refused_without_saving(admin_client_, car, member):
    lines = [trip(member, 1 + n % 20, (9, 10), ("", str(100 + n))) for n in range(30)]
    response = admin_client_.post(URL, logbook_page(car, *lines, total=1000))
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert not Booking.objects.exists()


def test_garbage_in_the_management_form_is_no_500(admin_client_, car, member):
    page = logbook_page(car, trip(member, 2, (9, 12), ("100", "150")))
    page["line-TOTAL_FORMS"] = "many"
    response = admin_client_.post(URL, page)
    assert response.status_code == 200
    assert not Booking.objects.exists()
