"""Pages of one association, under /<association-slug>/ (see carshare/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from bookings.views import (
    bookings,
    documents,
    feeds,
    fines,
    incidents,
    logbook,
    notebook,
    owner_time,
    planning,
    receipts,
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
    path(
        "vehicles/<int:vehicle_id>/owner-time/",
        owner_time.owner_time,
        name="owner_time",
    ),
    path("vehicles/<int:vehicle_id>/owner-time/block/", owner_time.block, name="block"),
    path("vehicles/<int:vehicle_id>/notebook/", notebook.notebook_page, name="notebook"),
    path("my-cars/", notebook.owner_month, name="owner_month"),
    path(
        "vehicles/<int:vehicle_id>/owner-time/<int:pk>/unblock/",
        owner_time.unblock,
        name="unblock",
    ),
    path("vehicles/<int:vehicle_id>/owner-time/cap/", owner_time.cap, name="cap"),
    path(
        "vehicles/<int:vehicle_id>/owner-time/caps/<int:pk>/remove/",
        owner_time.uncap,
        name="uncap",
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
    path("logbook/new/", logbook.logbook_page, name="logbook"),
    path(
        "bookings/<int:pk>/incidents/<int:incident_id>/already-there/",
        incidents.already_there,
        name="already_there",
    ),
    path(
        "bookings/<int:pk>/car-photos/<int:photo_id>/",
        incidents.departure_photo,
        name="departure_photo",
    ),
    path(
        "bookings/<int:pk>/return-photos/<int:photo_id>/",
        incidents.departure_return_photo,
        name="departure_return_photo",
    ),
    path("incidents/", incidents.incident_list, name="incidents"),
    path("incidents/new/", incidents.incident_create, name="incident_create"),
    path("incidents/<int:pk>/", incidents.incident_detail, name="incident"),
    path("incidents/<int:pk>/reply/", incidents.incident_reply, name="incident_reply"),
    path("incidents/<int:pk>/photos/", incidents.incident_add_photos, name="incident_add_photos"),
    path("incidents/<int:pk>/assess/", incidents.incident_assess, name="incident_assess"),
    path("incidents/<int:pk>/settle/", incidents.incident_settle, name="incident_settle"),
    path("incidents/<int:pk>/close/", incidents.incident_close, name="incident_close"),
    path(
        "incidents/<int:pk>/photos/<int:photo_id>/",
        incidents.incident_photo,
        name="incident_photo",
    ),
    path("incidents/<int:pk>/document/", incidents.incident_document, name="incident_document"),
    path("logbook/review/", trips.review, name="review"),
    path("who-drove/", fines.who_drove_page, name="who_drove"),
    path("calendar-feeds/", feeds.feeds, name="feeds"),
    path("calendar-feeds/regenerate/", feeds.regenerate, name="regenerate_feed"),
]
