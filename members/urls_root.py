"""Pages outside any association: the person's own pages, invitations, joining."""

from django.urls import URLPattern, URLResolver, path

from members.views import exports, founding, invitations, join, me, public

app_name = "account"

urlpatterns: list[URLPattern | URLResolver] = [
    path("me/", me.profile, name="profile"),
    path("me/driver-profile/", me.driver_profile, name="driver_profile"),
    path("me/driver-profile/licence-scan/", me.own_licence_scan, name="licence_scan"),
    path("me/associations/", me.associations, name="associations"),
    path("me/associations/<slug:slug>/leave/", me.leave, name="leave"),
    path("me/export/", exports.personal_export, name="export"),
    path("me/delete/", me.delete_account, name="delete"),
    path("invitations/<str:token>/", invitations.invitation, name="invitation"),
    path("associations/", public.directory, name="directory"),
    path("associations/new/", founding.found, name="found"),
    path("join/", join.join_list, name="join_list"),
    path("join/<slug:slug>/", join.join, name="join"),
]
