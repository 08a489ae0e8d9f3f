"""The URL map. Association pages live under /<association-slug>/; each app contributes
its association pages (`<app>/urls.py`) and its API (`<app>/api_urls.py`)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from carshare import api, pwa, views

api_v1: list[URLPattern | URLResolver] = [
    path("auth/token/", api.ObtainTokenView.as_view(), name="api-token"),
    path("auth/logout/", api.LogoutView.as_view(), name="api-logout"),
    path("me/", api.MeView.as_view(), name="api-me"),
    path("", include("members.api_urls")),
    path("", include("notifications.api_urls")),
    path("", include("vehicles.api_urls")),
    path("", include("contracts.api_urls")),
    path("", include("ledger.api_urls")),
    path("", include("bookings.api_urls")),
]

association_pages: list[URLPattern | URLResolver] = [
    path("", include("members.urls")),
    path("", include("notifications.urls")),
    path("", include("vehicles.urls")),
    path("", include("contracts.urls")),
    path("", include("ledger.urls")),
    path("", include("bookings.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    path("accounts/", include("allauth.urls")),
    path("django-admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include(api_v1)),
    path("", include("members.urls_root")),
    path("", include("notifications.urls_root")),
    path("", include("bookings.urls_root")),
    path("<slug:slug>/", include(association_pages)),
]

handler400 = "carshare.views.bad_request"
handler404 = "carshare.views.page_not_found"
handler500 = "carshare.views.server_error"
