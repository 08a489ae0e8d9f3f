"""Pages of one association, under /<association-slug>/ (see carshare/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from members.views import (
    admin_members,
    exports,
    home,
    households,
    imports,
    invitations,
    member_actions,
    public,
    settings,
)

app_name = "members"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", home.home, name="home"),
    path("about/", public.about, name="about"),
    path("household/", households.household, name="household"),
    path("household/leave/", households.leave_household, name="household_leave"),
    path("settings/", settings.association_settings, name="settings"),
    path("export/", exports.association_export, name="export"),
    path("members/", admin_members.member_list_view, name="list"),
    path("members/export.csv", admin_members.export_csv, name="export_csv"),
    path("members/import/", imports.upload, name="import"),
    path("members/import/confirm/", imports.confirm, name="import_confirm"),
    path("members/invite/", invitations.invite, name="invite"),
    path(
        "members/invitations/<int:pk>/revoke/",
        invitations.revoke_invitation,
        name="invitation_revoke",
    ),
    path("members/<int:pk>/", admin_members.member_detail, name="detail"),
    path("members/<int:pk>/licence-scan/", admin_members.licence_scan, name="licence_scan"),
    path("members/<int:pk>/accept/", member_actions.accept, name="accept"),
    path("members/<int:pk>/refuse/", member_actions.refuse, name="refuse"),
    path("members/<int:pk>/suspend/", member_actions.suspend, name="suspend"),
    path("members/<int:pk>/reactivate/", member_actions.reactivate, name="reactivate"),
    path("members/<int:pk>/remove/", member_actions.remove, name="remove"),
    path("members/<int:pk>/role/", member_actions.change_role, name="role"),
    path("members/<int:pk>/fee/", member_actions.set_fee, name="fee"),
    path("members/<int:pk>/address/", member_actions.set_address, name="address"),
]
