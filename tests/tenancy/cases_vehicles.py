"""The fleet's URL patterns. The world's vehicle belongs to the association (no owner
member), so the world's member may see it but not change it, and the admin may."""

from __future__ import annotations

from typing import Any

from tests.factories.vehicles import (
    InsurancePolicyFactory,
    MaintenanceEventFactory,
    VehicleDocumentFactory,
    VehicleFactory,
    pdf_upload,
    png_upload,
)
from tests.tenancy.registry import Access, Case, slug_only


def _vehicle(world: Any) -> Any:
    return VehicleFactory(
        association=world.association, owner_kind="association", photo=png_upload()
    )


def _vehicle_kwargs(world: Any) -> dict[str, Any]:
    return {"slug": world.association.slug, "pk": world.vehicle.pk}


def _policy_kwargs(world: Any) -> dict[str, Any]:
    policy = InsurancePolicyFactory(vehicle=world.vehicle, certificate=pdf_upload())
    return {**_vehicle_kwargs(world), "policy_pk": policy.pk}


def _document_kwargs(world: Any) -> dict[str, Any]:
    document = VehicleDocumentFactory(vehicle=world.vehicle, file=pdf_upload())
    return {**_vehicle_kwargs(world), "document_pk": document.pk}


def _receipt_kwargs(world: Any) -> dict[str, Any]:
    event = MaintenanceEventFactory(vehicle=world.vehicle, receipt=pdf_upload())
    return {**_vehicle_kwargs(world), "event_pk": event.pk}


def _public_photo_kwargs(world: Any) -> dict[str, Any]:
    vehicle = VehicleFactory(association=world.association, photo=png_upload(), photo_public=True)
    return {"slug": world.association.slug, "pk": vehicle.pk}


BUILDERS = {"vehicle": _vehicle}

MANAGER_PAGE = {"access": Access.ADMIN, "kwargs": _vehicle_kwargs, "methods": ("GET", "POST")}

CASES = {
    "vehicles:list": Case(Access.MEMBER, slug_only),
    "vehicles:create": Case(Access.MEMBER, slug_only, methods=("GET", "POST")),
    "vehicles:detail": Case(Access.MEMBER, _vehicle_kwargs),
    "vehicles:edit": Case(**MANAGER_PAGE),
    "vehicles:ownership": Case(**MANAGER_PAGE),
    "vehicles:policy_add": Case(**MANAGER_PAGE),
    "vehicles:document_add": Case(**MANAGER_PAGE),
    "vehicles:maintenance_add": Case(**MANAGER_PAGE),
    "vehicles:tariff_add": Case(**MANAGER_PAGE),
    "vehicles:calculator": Case(**MANAGER_PAGE),
    "vehicles:photo": Case(Access.MEMBER, _vehicle_kwargs),
    "vehicles:public_photo": Case(Access.PUBLIC_PAGE, _public_photo_kwargs),
    "vehicles:policy_certificate": Case(Access.ADMIN, _policy_kwargs),
    "vehicles:document_file": Case(Access.ADMIN, _document_kwargs),
    "vehicles:maintenance_receipt": Case(Access.ADMIN, _receipt_kwargs),
    "vehicles:policy_edit": Case(Access.ADMIN, _policy_kwargs, methods=("GET", "POST")),
    "vehicles:document_edit": Case(Access.ADMIN, _document_kwargs, methods=("GET", "POST")),
    "api-vehicles": Case(Access.MEMBER, slug_only, methods=("GET", "POST"), api=True),
    "api-vehicle": Case(
        Access.MEMBER,
        _vehicle_kwargs,
        methods=("GET", "PATCH"),
        api=True,
        member_post_status=403,
    ),
    "api-vehicle-insurance": Case(
        Access.MEMBER, _vehicle_kwargs, methods=("POST",), api=True, member_post_status=403
    ),
}
