"""API of the outbox: the caller's notifications, newest first, and marking one as read."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from members.models import User
from notifications.access import get_notification_for_user
from notifications.models import Notification
from notifications.selectors import notifications_of
from notifications.services import mark_notification_read

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_OFFSET = 1_000_000


class NotificationOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    association = serializers.CharField(source="association.slug", allow_null=True)
    subject = serializers.CharField()
    body = serializers.CharField()
    url = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
    unread = serializers.BooleanField(source="is_unread")

    def get_url(self, notification: Notification) -> str:
        """An absolute link to the page the notification is about ("" if none)."""
        return settings.SITE_URL + notification.url if notification.url else ""


class NotificationPageOutput(serializers.Serializer[Any]):
    """A page of notifications (`?limit=` up to 200, `?offset=`)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = NotificationOutput(many=True)


class NotificationPageInput(serializers.Serializer[Any]):
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT)
    offset = serializers.IntegerField(min_value=0, max_value=MAX_OFFSET, default=0)


class MyNotificationsView(APIView):
    """The caller's notifications (those shown in the app), newest first, a page at a time."""

    @extend_schema(parameters=[NotificationPageInput], responses={200: NotificationPageOutput})
    def get(self, request: Request) -> Response:
        # a plain dict: a QueryDict would turn `?offset=` into the default, not an error
        page = NotificationPageInput(data=request.query_params.dict())
        page.is_valid(raise_exception=True)
        limit, offset = page.validated_data["limit"], page.validated_data["offset"]
        notifications = notifications_of(request.user)
        count = notifications.count()
        results = notifications[offset : offset + limit]
        body = {
            "count": count,
            "next": _page_url(request, limit, offset + limit) if offset + limit < count else None,
            "previous": _page_url(request, limit, max(offset - limit, 0)) if offset else None,
            "results": results,
        }
        return Response(NotificationPageOutput(body).data)


def _page_url(request: Request, limit: int, offset: int) -> str:
    return request.build_absolute_uri(
        f"{request.path}?{urlencode({'limit': limit, 'offset': offset})}"
    )


class MarkNotificationReadView(APIView):
    """Mark one of the caller's notifications as read (again: no change)."""

    @extend_schema(request=None, responses={200: NotificationOutput})
    def post(self, request: Request, pk: int) -> Response:
        notification = get_notification_for_user(request.user, pk)
        user = request.user
        assert isinstance(user, User)  # noqa: S101 - IsAuthenticated ran first
        mark_notification_read(user=user, notification=notification)
        return Response(NotificationOutput(notification).data)
