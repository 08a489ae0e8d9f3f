"""Pages of one association, under /<association-slug>/ (see carshare/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from vehicles.views import calculator, corrections, files, fleet, records

app_name = "vehicles"

urlpatterns: list[URLPattern | URLResolver] = [
    path("vehicles/", fleet.fleet, name="list"),
    path("vehicles/new/", fleet.vehicle_create, name="create"),
    path("vehicles/<int:pk>/", fleet.vehicle_detail, name="detail"),
    path("vehicles/<int:pk>/edit/", fleet.vehicle_edit, name="edit"),
    path("vehicles/<int:pk>/ownership/", fleet.vehicle_ownership, name="ownership"),
    path("vehicles/<int:pk>/insurance/new/", records.policy_add, name="policy_add"),
    path("vehicles/<int:pk>/documents/new/", records.document_add, name="document_add"),
    path("vehicles/<int:pk>/maintenance/new/", records.maintenance_add, name="maintenance_add"),
    path(
        "vehicles/<int:pk>/insurance/<int:policy_pk>/edit/",
        corrections.policy_edit,
        name="policy_edit",
    ),
    path(
        "vehicles/<int:pk>/documents/<int:document_pk>/edit/",
        corrections.document_edit,
        name="document_edit",
    ),
    path("vehicles/<int:pk>/tariffs/new/", records.tariff_add, name="tariff_add"),
    path("vehicles/<int:pk>/calculator/", calculator.calculator, name="calculator"),
    path("vehicles/<int:pk>/photo/", files.vehicle_photo, name="photo"),
    path("about/cars/<int:pk>/photo/", files.public_photo, name="public_photo"),
    path(
        "vehicles/<int:pk>/insurance/<int:policy_pk>/certificate/",
        files.policy_certificate,
        name="policy_certificate",
    ),
    path(
        "vehicles/<int:pk>/documents/<int:document_pk>/file/",
        files.document_file,
        name="document_file",
    ),
    path(
        "vehicles/<int:pk>/maintenance/<int:event_pk>/receipt/",
        files.maintenance_receipt,
        name="maintenance_receipt",
    ),
]
