"""Announcements read by hostile callers: a member who is not an admin, another
association's admin (its car as the audience, its announcement by id), a stranger, and the
admin of a suspended association."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from bookings.models import Announcement
from members.services.founding import suspend_association
from notifications.models import Notification
from tests.factories.members import MembershipFactory, UserFactory
from tests.factories.vehicles import owned_vehicle

pytestmark = pytest.mark.django_db

PAYLOAD = {"subject": "Assemblée générale", "body": "Le 12 décembre.", "audience": "all"}


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_member_who_is_not_an_admin_cannot_announce(association, member, member_client):
    url = f"/api/v1/associations/{association.slug}/announcements/"
    response = _api(member.user).post(url, PAYLOAD, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert _api(member.user).get(url).status_code == 403
    page = member_client.post(f"/{association.slug}/announcements/", PAYLOAD)
    assert page.status_code == 403
    assert not Announcement.objects.exists() and not Notification.objects.exists()


def test_another_associations_car_is_not_an_audience(association, admin, other_association):
    foreign = owned_vehicle(MembershipFactory(association=other_association))
    payload = {**PAYLOAD, "audience": f"vehicle:{foreign.pk}"}
    response = _api(admin.user).post(
        f"/api/v1/associations/{association.slug}/announcements/", payload, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (400, "unknown_vehicle")
    client = Client()
    client.force_login(admin.user)
    page = client.post(f"/{association.slug}/announcements/", payload)
    assert page.status_code == 400  # not among the choices: nothing is sent
    assert not Announcement.objects.exists()


def test_another_associations_admin_sees_nothing(association, admin, other_association):
    announcement = Announcement.objects.create(
        association=association, author=admin.user, subject="Privé", body="x", audience="all"
    )
    stranger_admin = MembershipFactory(association=other_association, role="admin")
    client = Client()
    client.force_login(stranger_admin.user)
    for path in (
        f"/{association.slug}/announcements/",
        f"/{association.slug}/announcements/history/",
        f"/{association.slug}/announcements/{announcement.pk}/",
    ):
        assert client.get(path).status_code == 404, path
    # Its own pages do not open another association's announcement by id either.
    own = f"/{other_association.slug}/announcements/{announcement.pk}/"
    assert client.get(own).status_code == 404
    api = _api(stranger_admin.user)
    url = f"/api/v1/associations/{association.slug}/announcements/"
    assert api.post(url, PAYLOAD, format="json").status_code == 404
    assert api.get(url).status_code == 404
    assert Announcement.objects.count() == 1


def test_a_stranger_and_a_suspended_association_cannot_announce(association, admin):
    url = f"/api/v1/associations/{association.slug}/announcements/"
    assert APIClient().post(url, PAYLOAD, format="json").status_code in (401, 403)
    suspend_association(
        operator=UserFactory(is_staff=True), association=association, reason="Fraude"
    )
    response = _api(admin.user).post(url, PAYLOAD, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "association_suspended")
    assert not Announcement.objects.exists()
