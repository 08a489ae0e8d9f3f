"""Pages of one association, under /<association-slug>/ (see carshare/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from notifications import views

app_name = "jobs"

urlpatterns: list[URLPattern | URLResolver] = [
    path("background-jobs/", views.background_jobs, name="background_jobs"),
    path(
        "background-jobs/notifications/<int:pk>/retry/",
        views.notification_retry,
        name="notification_retry",
    ),
]
