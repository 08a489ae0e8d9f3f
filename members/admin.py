"""The Django admin, for platform operators (is_staff): create associations and their first
admin, look into problems. Association admins use the members pages, not this."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from members.models import Association, AuditEntry, Household, Invitation, Membership, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_active", "is_staff")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "phone", "language")}),
        (_("Postal address"), {"fields": ("street", "postcode", "town")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined", "anonymised_at")}),
    )
    readonly_fields = ("anonymised_at", "last_login", "date_joined")
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    fields = ("user", "role", "status", "joined_on", "left_on")
    autocomplete_fields = ("user",)


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "commune", "time_zone")
    search_fields = ("name", "slug", "commune")
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "association", "role", "status", "joined_on")
    list_filter = ("association", "role", "status")
    search_fields = ("user__email", "user__last_name")
    autocomplete_fields = ("user",)
    raw_id_fields = ("household",)


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ("label", "association")
    list_filter = ("association",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "association", "role", "expires_at", "accepted_at", "revoked_at")
    list_filter = ("association",)
    readonly_fields = ("created_at", "accepted_at", "invited_by")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "association", "actor", "action", "target_type", "target_id")
    list_filter = ("association", "action")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
