"""API of the outbox: the caller's notifications, newest first, and marking one as read."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from members.models import Notification, User
from members.notifications.access import get_notification_for_user
from members.notifications.selectors import notifications_of
from members.notifications.services import mark_notification_read


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


class NotificationPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200


class MyNotificationsView(APIView):
    """The caller's notifications (those shown in the app), newest first; `?limit=&offset=`."""

    @extend_schema(responses={200: NotificationOutput(many=True)})
    def get(self, request: Request) -> Response:
        paginator = NotificationPagination()
        page = paginator.paginate_queryset(notifications_of(request.user), request, view=self)
        return paginator.get_paginated_response(NotificationOutput(page, many=True).data)


class MarkNotificationReadView(APIView):
    """Mark one of the caller's notifications as read (again: no change)."""

    @extend_schema(request=None, responses={200: NotificationOutput})
    def post(self, request: Request, pk: int) -> Response:
        notification = get_notification_for_user(request.user, pk)
        user = request.user
        assert isinstance(user, User)  # noqa: S101 - IsAuthenticated ran first
        mark_notification_read(user=user, notification=notification)
        return Response(NotificationOutput(notification).data)
