"""Django admin for platform operators: read-only, since every write must go through the
services (balanced legs, closed periods, audit)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ledger.models import Account, Deposit, LedgerTransaction, Leg, Period


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LegInline(admin.TabularInline):
    model = Leg
    extra = 0
    can_delete = False
    readonly_fields = ("account", "amount", "memo")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdmin):
    list_display = ("id", "date", "association", "kind", "amount", "reference", "is_reversed")
    list_filter = ("kind", "association")
    search_fields = ("reference", "label")
    date_hierarchy = "date"
    inlines = [LegInline]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("id", "association", "kind", "membership")
    list_filter = ("kind", "association")


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ("association", "key", "starts_on", "ends_on", "closed_at", "closed_by")
    list_filter = ("association",)


@admin.register(Deposit)
class DepositAdmin(ReadOnlyAdmin):
    list_display = ("association", "membership", "amount", "status", "received_on")
    list_filter = ("status", "association")
