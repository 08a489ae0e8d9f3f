"""No 500 on any input: numeric settings are bounded, and domain errors in views answer
403/404. The walk over every numeric field of the project is tests/security/test_numeric_walk.py."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from bookings.models import CalendarFeed
from core.bounds import MAX_NOTICE_HOURS
from tests.bookings.helpers import shared_vehicle
from tests.factories.vehicles import owned_vehicle
from tests.security.helpers import api_for

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def test_an_owner_cannot_set_a_notice_that_overflows(member, admin):
    vehicle = shared_vehicle(member, admin)
    url = f"/api/v1/associations/testville/vehicles/{vehicle.pk}/"
    answer = api_for(member).patch(url, {"min_notice_hours": 2_147_483_647}, format="json")
    assert answer.status_code == 400, answer.content
    assert "min_notice_hours" in answer.json()
    vehicle.refresh_from_db()
    assert vehicle.min_notice_hours == 0
    vehicle.min_notice_hours = 2_147_483_647
    with pytest.raises(ValidationError):
        vehicle.full_clean()


def test_booking_a_car_with_the_longest_notice_is_a_clear_refusal(member, admin):
    vehicle = shared_vehicle(admin, member)
    vehicle.min_notice_hours = MAX_NOTICE_HOURS
    vehicle.full_clean()
    vehicle.save()
    body = {
        "vehicle": vehicle.pk,
        "start": "2026-12-01T09:00:00+01:00",
        "end": "2026-12-01T12:00:00+01:00",
    }
    with time_machine.travel(dt.datetime(2026, 11, 26, 10, tzinfo=PARIS), tick=False):
        answer = api_for(member).post(
            "/api/v1/associations/testville/bookings/", body, format="json"
        )
    assert answer.status_code == 403 and answer.json()["code"] == "too_short_notice"


def test_regenerating_the_feed_of_a_vehicle_one_does_not_manage_is_403(member_client, admin):
    vehicle = owned_vehicle(admin)
    response = member_client.post(
        "/testville/calendar-feeds/regenerate/", {"vehicle": str(vehicle.pk)}
    )
    assert response.status_code == 403
    assert not CalendarFeed.objects.filter(vehicle=vehicle).exists()


def test_regenerating_the_feed_of_a_vehicle_of_another_association_is_404(member_client, outsider):
    vehicle = owned_vehicle(outsider)
    response = member_client.post(
        "/testville/calendar-feeds/regenerate/", {"vehicle": str(vehicle.pk)}
    )
    assert response.status_code == 404


def test_a_domain_error_that_a_page_does_not_expect_answers_its_status_not_500(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from core.errors import ConflictError, ForbiddenError
    from core.middleware import DomainErrorMiddleware

    middleware = DomainErrorMiddleware(lambda request: HttpResponse())
    request = rf.get("/testville/bookings/1/handover.pdf")
    request.user = AnonymousUser()
    refused = middleware.process_exception(request, ForbiddenError("Pas pour vous.", code="x"))
    assert refused is not None and refused.status_code == 403
    assert "Pas pour vous." in refused.content.decode()
    conflict = middleware.process_exception(request, ConflictError("Déjà fait.", code="y"))
    assert conflict is not None and conflict.status_code == 409
    assert middleware.process_exception(request, ValueError("a bug")) is None
