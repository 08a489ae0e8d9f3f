"""API endpoints under /api/v1/ (see carshare/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from notifications import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("me/notifications/", api.MyNotificationsView.as_view(), name="api-me-notifications"),
    path(
        "me/notifications/<int:pk>/read/",
        api.MarkNotificationReadView.as_view(),
        name="api-me-notification-read",
    ),
]
