"""Private uploads: images and PDF only, size-limited, stored under random names and served
only through permission-checked views (there is no public MEDIA_URL)."""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _

# Content type by leading bytes; the extension a browser sends is not trusted.
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"RIFF", "image/webp", ".webp"),  # checked further below: RIFF....WEBP
)


def sniff_content_type(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of an allowed file, from its first bytes, or None."""
    for signature, content_type, extension in _SIGNATURES:
        if head.startswith(signature):
            if content_type == "image/webp" and head[8:12] != b"WEBP":
                return None
            return content_type, extension
    return None


def validate_upload(file: File[Any]) -> None:
    """Allow only PDF, PNG, JPEG and WebP files up to UPLOAD_MAX_BYTES."""
    size = file.size or 0
    if size > settings.UPLOAD_MAX_BYTES:
        limit_mb = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        raise ValidationError(
            _("The file is too large (at most %(limit)s MB).") % {"limit": limit_mb},
            code="file_too_large",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    if sniff_content_type(head) is None:
        raise ValidationError(
            _("Only images (JPEG, PNG, WebP) and PDF files are accepted."),
            code="file_type",
        )


def private_upload_path(instance: Any, filename: str) -> str:
    """private/<model>/<random>.<ext>: the original name may hold personal data."""
    extension = PurePosixPath(filename).suffix.lower()[:8]
    folder = instance._meta.model_name
    return f"private/{folder}/{secrets.token_hex(16)}{extension}"


def serve_private_file(field_file: FieldFile, *, download_name: str | None = None) -> FileResponse:
    """Stream a stored private file; call only after the caller's permission was checked."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    head = handle.read(16)
    handle.seek(0)
    sniffed = sniff_content_type(head)
    content_type = sniffed[0] if sniffed else "application/octet-stream"
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=content_type == "application/octet-stream",
        filename=download_name or PurePosixPath(field_file.name or "file").name,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
