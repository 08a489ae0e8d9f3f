"""Pages of one association, under /<association-slug>/ (see carshare/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from bookings.views import (
    announcements,
    bookings,
    documents,
    feeds,
    fines,
    planning,
    receipts,
    reports,
    trips,
)

app_name = "bookings"

urlpatterns: list[URLPattern | URLResolver] = [
    path("planning/", planning.planning, name="planning"),
    path("availability/", planning.availability, name="availability"),
    path(
        "vehicles/<int:vehicle_id>/calendar/",
        planning.vehicle_calendar,
        name="vehicle_calendar",
    ),
    path("bookings/", bookings.mine, name="mine"),
    path("bookings/new/", bookings.create, name="create"),
    path("bookings/<int:pk>/", bookings.detail, name="detail"),
    path("bookings/<int:pk>/approve/", bookings.approve, name="approve"),
    path("bookings/<int:pk>/refuse/", bookings.refuse, name="refuse"),
    path("bookings/<int:pk>/cancel/", bookings.cancel, name="cancel"),
    path("bookings/<int:pk>/late/", bookings.late_return, name="late_return"),
    path("bookings/<int:pk>/checkout/", trips.checkout, name="checkout"),
    path("bookings/<int:pk>/checkin/", trips.checkin, name="checkin"),
    path("bookings/<int:pk>/photos/<int:photo_id>/", trips.trip_photo, name="trip_photo"),
    path(
        "bookings/<int:pk>/receipts/<int:receipt_id>/",
        trips.receipt_photo,
        name="receipt_photo",
    ),
    path(
        "bookings/<int:pk>/receipts/<int:receipt_id>/approve/",
        receipts.approve,
        name="receipt_approve",
    ),
    path(
        "bookings/<int:pk>/receipts/<int:receipt_id>/refuse/",
        receipts.refuse,
        name="receipt_refuse",
    ),
    path("receipts/", receipts.queue, name="receipts"),
    path("bookings/<int:pk>/handover.pdf", documents.handover_pdf, name="handover_pdf"),
    path("bookings/<int:pk>/designation/", documents.designation_pdf, name="designation_pdf"),
    path("logbook/new/", trips.past_trip, name="past_trip"),
    path("logbook/review/", trips.review, name="review"),
    path("who-drove/", fines.who_drove_page, name="who_drove"),
    path("announcements/", announcements.announcements, name="announcements"),
    path(
        "announcements/history/",
        announcements.announcement_history,
        name="announcement_history",
    ),
    path("announcements/<int:pk>/", announcements.announcement_detail, name="announcement"),
    path("reports/<int:year>/", reports.report, name="report"),
    path("reports/<int:year>/pdf/", reports.report_pdf, name="report_pdf"),
    path("reports/<int:year>/csv/", reports.report_csv, name="report_csv"),
    path("calendar-feeds/", feeds.feeds, name="feeds"),
    path("calendar-feeds/regenerate/", feeds.regenerate, name="regenerate_feed"),
]
