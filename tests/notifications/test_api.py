"""GET /api/v1/me/notifications/: the caller's notifications, newest first."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import Notification

pytestmark = pytest.mark.django_db


def notify(user, association=None, **fields):
    return Notification.objects.create(
        recipient=user,
        association=association,
        kind="statement_ready",
        key=f"statement_ready:api:{Notification.objects.count()}",
        subject=fields.pop("subject", "Relevé"),
        body="Bonjour",
        url="/testville/",
        **fields,
    )


def test_the_callers_notifications_newest_first(member_client, member, admin, association):
    first = notify(member.user, association, subject="Premier")
    second = notify(member.user, None, subject="Second")
    notify(admin.user, association)
    notify(member.user, association, in_app=False)
    response = member_client.get(reverse("api-me-notifications"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [item["id"] for item in body["results"]] == [second.pk, first.pk]
    item = body["results"][1]
    assert item["association"] == "testville"
    assert body["results"][0]["association"] is None
    assert item["url"] == "http://127.0.0.1:8000/testville/"
    assert item["unread"] is True
    assert set(item) == {
        "id",
        "kind",
        "association",
        "subject",
        "body",
        "url",
        "created_at",
        "read_at",
        "unread",
    }


def test_the_list_is_paginated(member_client, member):
    for _ in range(3):
        notify(member.user)
    body = member_client.get(reverse("api-me-notifications") + "?limit=2").json()
    assert (body["count"], len(body["results"])) == (3, 2)
    assert body["next"]


def test_marking_one_as_read(member_client, member):
    notification = notify(member.user)
    response = member_client.post(reverse("api-me-notification-read", args=[notification.pk]))
    assert response.status_code == 200
    assert response.json()["unread"] is False


def test_someone_elses_is_404(outsider_client, member):
    notification = notify(member.user)
    response = outsider_client.post(reverse("api-me-notification-read", args=[notification.pk]))
    assert response.status_code == 404


def test_anonymous_callers_are_refused(client):
    assert client.get(reverse("api-me-notifications")).status_code in (401, 403)


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=201", "offset=-1", "limit=abc", "offset=1e99", "offset=", "limit="]
)
def test_a_bad_page_is_refused_with_400(member_client, query):
    response = member_client.get(reverse("api-me-notifications") + "?" + query)
    assert response.status_code == 400


def test_pages_link_to_each_other(member_client, member):
    for _ in range(5):
        notify(member.user)
    url = reverse("api-me-notifications")
    body = member_client.get(url + "?limit=2&offset=2").json()
    assert body["next"] == "http://testserver/api/v1/me/notifications/?limit=2&offset=4"
    assert body["previous"] == "http://testserver/api/v1/me/notifications/?limit=2&offset=0"
    last = member_client.get(url + "?limit=2&offset=4").json()
    assert (len(last["results"]), last["next"]) == (1, None)
