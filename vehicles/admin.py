"""The Django admin, for platform operators (association admins use the fleet pages)."""

from __future__ import annotations

from django.contrib import admin

from core.admin import ReadOnlyInlineMixin
from vehicles.models import (
    InsurancePolicy,
    MaintenanceEvent,
    Tariff,
    Vehicle,
    VehicleDocument,
    VehicleOwnership,
)


class OwnershipInline(admin.TabularInline):
    model = VehicleOwnership
    extra = 0
    raw_id_fields = ("owner",)


class InsurancePolicyInline(ReadOnlyInlineMixin, admin.StackedInline):
    """A policy is written on the vehicle's page, whose service refuses a policy that
    loosens the current rules unless someone confirms it (and audits who did)."""

    model = InsurancePolicy


class TariffInline(admin.TabularInline):
    model = Tariff
    extra = 0
    readonly_fields = ("calculation",)


@admin.register(Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    list_display = ("name", "plate", "association", "owner_kind", "is_active")
    list_filter = ("association", "is_active", "energy", "owner_kind")
    search_fields = ("name", "plate", "make", "model")
    raw_id_fields = ("registration_holder", "allowed_drivers")
    inlines = (OwnershipInline, InsurancePolicyInline, TariffInline)


@admin.register(VehicleDocument)
class VehicleDocumentAdmin(admin.ModelAdmin):
    list_display = ("vehicle", "kind", "issued_on", "expires_on")
    list_filter = ("kind",)
    raw_id_fields = ("vehicle",)


@admin.register(MaintenanceEvent)
class MaintenanceEventAdmin(admin.ModelAdmin):
    list_display = ("vehicle", "date", "kind", "cost")
    list_filter = ("kind",)
    raw_id_fields = ("vehicle", "paid_by")
