"""Pages of one association, under /<association-slug>/ (see carshare/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from bookings.views import (
    bookings,
    documents,
    feeds,
    fines,
    planning,
    receipts,
    series,
    trips,
    waiting,
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
    path("bookings/series/new/", series.new_series, name="new_series"),
    path("bookings/<int:pk>/", bookings.detail, name="detail"),
    path("bookings/<int:pk>/approve/", bookings.approve, name="approve"),
    path("bookings/<int:pk>/refuse/", bookings.refuse, name="refuse"),
    path("bookings/<int:pk>/cancel/", bookings.cancel, name="cancel"),
    path("bookings/<int:pk>/change/", bookings.change, name="change"),
    path("bookings/<int:pk>/cancel-series/", series.cancel_series, name="cancel_series"),
    path("bookings/<int:pk>/late/", bookings.late_return, name="late_return"),
    path("bookings/waiting/", waiting.join, name="waiting_join"),
    path("bookings/waiting/<int:pk>/leave/", waiting.leave, name="waiting_leave"),
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
    path("calendar-feeds/", feeds.feeds, name="feeds"),
    path("calendar-feeds/regenerate/", feeds.regenerate, name="regenerate_feed"),
]
