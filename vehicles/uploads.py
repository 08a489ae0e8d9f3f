"""Upload rules of the fleet on top of core.files: a vehicle photo must be an image."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext_lazy as _

from core.files import sniff_content_type


def validate_image(file: File[Any]) -> None:
    """Only JPEG, PNG and WebP (a PDF is fine for papers, not for a photo)."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    sniffed = sniff_content_type(head)
    if sniffed is None or not sniffed[0].startswith("image/"):
        raise ValidationError(
            _("The photo must be an image (JPEG, PNG or WebP)."), code="file_not_image"
        )
