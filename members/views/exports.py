"""Zip exports: the whole association (admins) and "export my data" (anyone signed in)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.views.decorators.http import require_safe

from members.access import AssociationRequest, admin_required
from members.exports import write_association_export, write_personal_export
from members.models import User


@admin_required
@require_safe
def association_export(request: AssociationRequest, slug: str) -> FileResponse:
    day = timezone.localdate().isoformat()
    return _zip(write_association_export(request.association), f"{slug}-export-{day}.zip")


@login_required
@require_safe
def personal_export(request: HttpRequest) -> FileResponse:
    assert isinstance(request.user, User)  # noqa: S101 - narrows the type
    day = timezone.localdate().isoformat()
    return _zip(write_personal_export(request.user), f"my-carshare-data-{day}.zip")


def _zip(file: object, filename: str) -> FileResponse:
    response = FileResponse(file, as_attachment=True, filename=filename)
    response["Content-Type"] = "application/zip"
    response["Cache-Control"] = "private, no-store"
    return response
