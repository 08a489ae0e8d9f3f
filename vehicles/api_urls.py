"""API endpoints under /api/v1/ (see carshare/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from vehicles import api

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "associations/<slug:slug>/vehicles/",
        api.VehicleListView.as_view(),
        name="api-vehicles",
    ),
    path(
        "associations/<slug:slug>/vehicles/<int:pk>/",
        api.VehicleDetailView.as_view(),
        name="api-vehicle",
    ),
    path(
        "associations/<slug:slug>/vehicles/<int:pk>/insurance/",
        api.InsurancePolicyCreateView.as_view(),
        name="api-vehicle-insurance",
    ),
]
