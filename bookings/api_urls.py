"""API endpoints under /api/v1/ (see carshare/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from bookings import api, api_incidents, api_owner_time

PREFIX = "associations/<slug:slug>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(f"{PREFIX}announcements/", api.AnnouncementListView.as_view(), name="api-announcements"),
    path(f"{PREFIX}availability/", api.AvailabilityView.as_view(), name="api-availability"),
    path(f"{PREFIX}bookings/", api.BookingListView.as_view(), name="api-bookings"),
    path(f"{PREFIX}bookings/series/", api.BookingSeriesView.as_view(), name="api-booking-series"),
    path(f"{PREFIX}bookings/<int:pk>/", api.BookingDetailView.as_view(), name="api-booking"),
    path(
        f"{PREFIX}bookings/<int:pk>/approve/",
        api.ApproveView.as_view(),
        name="api-booking-approve",
    ),
    path(f"{PREFIX}bookings/<int:pk>/refuse/", api.RefuseView.as_view(), name="api-booking-refuse"),
    path(f"{PREFIX}bookings/<int:pk>/cancel/", api.CancelView.as_view(), name="api-booking-cancel"),
    path(
        f"{PREFIX}bookings/<int:pk>/cancel-series/",
        api.SeriesCancelView.as_view(),
        name="api-booking-cancel-series",
    ),
    path(f"{PREFIX}waiting-list/", api.WaitingListView.as_view(), name="api-waiting-list"),
    path(
        f"{PREFIX}waiting-list/<int:pk>/",
        api.WaitingEntryView.as_view(),
        name="api-waiting-entry",
    ),
    path(
        f"{PREFIX}bookings/<int:pk>/checkout/",
        api.CheckOutView.as_view(),
        name="api-booking-checkout",
    ),
    path(
        f"{PREFIX}bookings/<int:pk>/checkin/",
        api.CheckInView.as_view(),
        name="api-booking-checkin",
    ),
    path(f"{PREFIX}incidents/", api_incidents.IncidentListView.as_view(), name="api-incidents"),
    path(
        f"{PREFIX}incidents/<int:pk>/",
        api_incidents.IncidentDetailView.as_view(),
        name="api-incident",
    ),
    path(
        f"{PREFIX}incidents/<int:pk>/settle/",
        api_incidents.IncidentSettleView.as_view(),
        name="api-incident-settle",
    ),
    path(
        f"{PREFIX}incidents/<int:pk>/close/",
        api_incidents.IncidentCloseView.as_view(),
        name="api-incident-close",
    ),
    path(
        f"{PREFIX}incidents/<int:pk>/assess/",
        api_incidents.IncidentAssessView.as_view(),
        name="api-incident-assess",
    ),
    path(
        f"{PREFIX}incidents/<int:pk>/replies/",
        api_incidents.IncidentReplyView.as_view(),
        name="api-incident-replies",
    ),
    path(
        f"{PREFIX}incidents/<int:pk>/photos/<int:photo_id>/",
        api_incidents.IncidentPhotoView.as_view(),
        name="api-incident-photo",
    ),
    path(
        f"{PREFIX}vehicles/<int:pk>/unavailability/",
        api_owner_time.UnavailabilityListView.as_view(),
        name="api-vehicle-unavailability",
    ),
    path(
        f"{PREFIX}vehicles/<int:pk>/unavailability/<int:rule_pk>/",
        api_owner_time.UnavailabilityDetailView.as_view(),
        name="api-vehicle-unavailability-detail",
    ),
    path(
        f"{PREFIX}bookings/<int:pk>/designation/",
        api.DesignationView.as_view(),
        name="api-booking-designation",
    ),
    path(
        f"{PREFIX}bookings/<int:pk>/receipts/<int:receipt_id>/approve/",
        api.ReceiptApproveView.as_view(),
        name="api-receipt-approve",
    ),
    path(
        f"{PREFIX}bookings/<int:pk>/receipts/<int:receipt_id>/refuse/",
        api.ReceiptRefuseView.as_view(),
        name="api-receipt-refuse",
    ),
]
