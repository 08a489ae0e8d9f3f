"""The person's own notifications, outside any association: /me/notifications/…"""

from django.urls import URLPattern, URLResolver, path

from notifications import views

app_name = "notifications"

urlpatterns: list[URLPattern | URLResolver] = [
    path("me/notifications/", views.notification_list, name="list"),
    path("me/notifications/read-all/", views.notifications_read_all, name="read_all"),
    path("me/notifications/preferences/", views.notification_preferences, name="preferences"),
    path("me/notifications/<int:pk>/read/", views.notification_read, name="read"),
]
