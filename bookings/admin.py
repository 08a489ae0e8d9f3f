"""Django admin for platform operators (read mostly: writes go through the services)."""

from django.contrib import admin
from django.http import HttpRequest

from bookings.models import Booking, CalendarFeed, FuelReceipt, Trip, WaitingEntry


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Read only: a booking is made, moved, cancelled and ended through bookings.services,
    which hold the rules (overlap, eligibility) and tell the waiting list and the people
    concerned; the association's admins do it on the pages or through the API."""

    list_display = ["vehicle", "driver", "start", "end", "status"]
    list_filter = ["status"]
    raw_id_fields = ["vehicle", "driver", "created_by", "decided_by", "cancelled_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Booking | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Booking | None = None) -> bool:
        return False


@admin.register(WaitingEntry)
class WaitingEntryAdmin(admin.ModelAdmin):
    list_display = ["vehicle", "member", "start", "end", "created_at", "notified_at"]
    raw_id_fields = ["vehicle", "member"]
    readonly_fields = ["notified_at"]


@admin.register(Trip)
class TripAdmin(admin.ModelAdmin):
    list_display = ["booking", "odometer_out", "odometer_in", "odometer_gap_km", "implausible_km"]
    raw_id_fields = ["booking", "checked_out_by", "checked_in_by"]


@admin.register(FuelReceipt)
class FuelReceiptAdmin(admin.ModelAdmin):
    list_display = ["trip", "amount", "date", "status"]
    list_filter = ["status"]
    raw_id_fields = ["trip"]
    # Money: approved or refused through bookings.services.receipts (the ledger follows).
    readonly_fields = ["amount", "date", "status", "decided_by", "decided_at", "refusal_reason"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["membership", "vehicle", "created_at"]
    raw_id_fields = ["membership", "vehicle"]
    exclude = ["token"]
