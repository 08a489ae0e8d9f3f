"""API endpoints under /api/v1/ (see carshare/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from contracts import api

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "associations/<slug:slug>/contracts/",
        api.AgreementListView.as_view(),
        name="api-contracts-list",
    ),
    path(
        "associations/<slug:slug>/contracts/<int:pk>/pdf/",
        api.AgreementPdfView.as_view(),
        name="api-contracts-pdf",
    ),
]
