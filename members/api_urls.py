"""API endpoints under /api/v1/ (see carshare/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from members import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("associations/", api.AssociationListView.as_view(), name="api-associations"),
    path(
        "associations/<slug:slug>/members/",
        api.AssociationMembersView.as_view(),
        name="api-association-members",
    ),
    path("me/driver-profile/", api.MyDriverProfileView.as_view(), name="api-me-driver-profile"),
]
