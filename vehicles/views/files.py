"""Private files, served only after the caller's permission is checked: the photo to the
association's members; certificates, documents and receipts to owners and admins."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_safe

from core.files import serve_private_file
from members.access import AssociationRequest, member_required
from vehicles.access import (
    get_document_for_manager,
    get_maintenance_for_manager,
    get_policy_for_manager,
    get_vehicle_for_member,
)
from vehicles.public import get_public_photo_vehicle


@require_safe
@member_required
def vehicle_photo(request: AssociationRequest, slug: str, pk: int) -> FileResponse:
    vehicle = get_vehicle_for_member(request.membership, pk)
    return _serve(vehicle.photo)


@require_safe
def public_photo(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """A car's photo on the public page: only photos chosen for it, of public associations."""
    return _serve(get_public_photo_vehicle(slug, pk).photo, public=True)


@require_safe
@member_required
def policy_certificate(
    request: AssociationRequest, slug: str, pk: int, policy_pk: int
) -> FileResponse:
    policy = get_policy_for_manager(request.membership, pk, policy_pk)
    return _serve(policy.certificate, download_name=_name("assurance", policy.certificate))


@require_safe
@member_required
def document_file(
    request: AssociationRequest, slug: str, pk: int, document_pk: int
) -> FileResponse:
    document = get_document_for_manager(request.membership, pk, document_pk)
    return _serve(document.file, download_name=_name(document.kind, document.file))


@require_safe
@member_required
def maintenance_receipt(
    request: AssociationRequest, slug: str, pk: int, event_pk: int
) -> FileResponse:
    event = get_maintenance_for_manager(request.membership, pk, event_pk)
    return _serve(event.receipt, download_name=_name("justificatif", event.receipt))


def _serve(
    field_file: FieldFile, *, download_name: str | None = None, public: bool = False
) -> FileResponse:
    response = serve_private_file(field_file, download_name=download_name)
    if public:  # shown to anyone: shared caches may keep it for a while
        response["Cache-Control"] = "public, max-age=3600"
    return response


def _name(prefix: str, field_file: FieldFile) -> str:
    """A download name that says what the file is, without the stored random name."""
    return f"{prefix}{PurePosixPath(field_file.name or '').suffix}"
