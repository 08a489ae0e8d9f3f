"""Upload rules of the fleet on top of core.files.

Files are checked when they arrive; a file already stored was checked then, and is not
read again each time its row is validated (a form that edits other fields would otherwise
open it, and fail if the storage lost it).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext_lazy as _

from core.files import sniff_content_type, validate_upload


def validate_new_upload(file: File[Any]) -> None:
    """core.files.validate_upload (images and PDF, size limit) for a file being uploaded."""
    if not _is_stored(file):
        validate_upload(file)


def validate_new_image(file: File[Any]) -> None:
    """As validate_new_upload, and only JPEG, PNG and WebP: a PDF is no photo."""
    if _is_stored(file):
        return
    validate_upload(file)
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    sniffed = sniff_content_type(head)
    if sniffed is None or not sniffed[0].startswith("image/"):
        raise ValidationError(
            _("The photo must be an image (JPEG, PNG or WebP)."), code="file_not_image"
        )


def _is_stored(file: File[Any]) -> bool:
    # A FieldFile is "committed" once its content is in the storage.
    return bool(getattr(file, "_committed", False))
