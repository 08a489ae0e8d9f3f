"""Django admin for platform operators (read mostly: writes go through the services)."""

from django.contrib import admin

from bookings.models import Booking, CalendarFeed, FuelReceipt, Trip


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["vehicle", "driver", "start", "end", "status"]
    list_filter = ["status"]
    raw_id_fields = ["vehicle", "driver", "created_by", "decided_by", "cancelled_by"]
    readonly_fields = ["blocks_until", "status"]


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
