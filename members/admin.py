"""The Django admin, for platform operators (is_staff): create associations and their first
admin, look into problems. Association admins use the members pages, not this."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyInlineMixin
from core.errors import DomainError
from members.models import Association, AuditEntry, Household, Invitation, Membership, User
from members.services.associations import EDITABLE_FIELDS
from members.services.founding import lift_suspension, suspend_association
from members.services.invitations import invite_to_association, refuse_current_member


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


# Nobody is put into an association from here: a person joins by accepting an invitation
# (add one below, it is e-mailed) or by asking to join. Operators may correct dates.
PEOPLE_FIELDS = ("user", "association", "role", "status")


class MembershipInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Membership
    fields = ("user", "role", "status", "joined_on", "left_on")


class InvitationInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Invitation
    fields = ("email", "role", "expires_at", "accepted_at", "revoked_at")


class AssociationAdminForm(forms.ModelForm):
    """The operator suspends an association by ticking `suspended` and saying why; the
    service records it (pages, API and jobs of the association stop)."""

    suspended = forms.BooleanField(
        label=_("Suspended"),
        required=False,
        help_text=_(
            "Its members see a page saying so; its API answers 403 and its public page 404; "
            "no reminder or message of the association is sent."
        ),
    )

    class Meta:
        model = Association
        fields = ("slug", *EDITABLE_FIELDS, "suspension_reason")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suspended"].initial = self.instance.suspended_at is not None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("suspended") and not str(data.get("suspension_reason", "")).strip():
            self.add_error("suspension_reason", _("Say why: its administrators will read it."))
        return data


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    form = AssociationAdminForm
    list_display = ("name", "slug", "commune", "postcode", "public_page", "suspended_at")
    list_filter = (
        "public_page",
        "listed_in_directory",
        ("suspended_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("name", "slug", "commune", "postcode")
    readonly_fields = ("suspended_at", "created_at")
    inlines = (MembershipInline, InvitationInline)

    def save_model(self, request: HttpRequest, obj: Association, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        reason = obj.suspension_reason
        operator = request.user
        assert isinstance(operator, User)  # noqa: S101 - the admin site requires a log-in
        if form.cleaned_data["suspended"]:
            suspend_association(operator=operator, association=obj, reason=reason)
        else:
            lift_suspension(operator=operator, association=obj)
        obj.refresh_from_db()


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "association", "role", "status", "joined_on")
    list_filter = ("association", "role", "status")
    search_fields = ("user__email", "user__last_name")
    readonly_fields = PEOPLE_FIELDS
    raw_id_fields = ("household",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ("label", "association")
    list_filter = ("association",)


class InvitationAdminForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ("association", "email", "role")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        association, email = data.get("association"), data.get("email")
        if association is not None and email:
            try:
                refuse_current_member(association, email.strip().lower())
            except DomainError as error:
                raise ValidationError(str(error.message)) from error
        return data


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Operators invite a new association's first admin here: the invitation is e-mailed
    and the person joins by accepting it. Invitations are not edited afterwards."""

    list_display = ("email", "association", "role", "expires_at", "accepted_at", "revoked_at")
    list_filter = ("association",)
    form = InvitationAdminForm

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Invitation, form: Any, change: bool) -> None:
        assert isinstance(request.user, User)  # noqa: S101 - the admin site requires a login
        saved = invite_to_association(
            association=obj.association, email=obj.email, role=obj.role, invited_by=request.user
        )
        obj.pk = saved.pk


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "association", "actor", "action", "target_type", "target_id")
    list_filter = ("association", "action")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
