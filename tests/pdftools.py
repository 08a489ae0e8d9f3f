"""Helpers for tests that look inside PDFs with poppler-utils (pdftotext, pdftoppm)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.conftest import require_or_skip


def _tool(name: str) -> str:
    path = shutil.which(name)
    require_or_skip(path is not None, f"{name} (poppler-utils) is missing")
    assert path is not None
    return path


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The text of a PDF, page layout kept (pdftotext -layout)."""
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    command = [_tool("pdftotext"), "-layout", str(path), "-"]
    return subprocess.run(command, capture_output=True, check=True).stdout.decode("utf-8")  # noqa: S603


def first_page_ink(pdf: bytes, tmp_path: Path) -> tuple[Path, float]:
    """Page 1 as a PNG (kept for people to look at) and its share of dark pixels."""
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    page = ["-f", "1", "-l", "1", "-singlefile", str(path), str(tmp_path / "page1")]
    subprocess.run([_tool("pdftoppm"), "-png", "-r", "60", *page], check=True)  # noqa: S603
    subprocess.run([_tool("pdftoppm"), "-gray", "-r", "30", *page], check=True)  # noqa: S603
    return tmp_path / "page1.png", dark_share(tmp_path / "page1.pgm")


def dark_share(pgm: Path) -> float:
    """Share of pixels darker than mid-grey in a binary PGM (P5) file."""
    data = pgm.read_bytes()
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:  # magic, width, height, maxval
        while data[position : position + 1].isspace():
            position += 1
        end = position
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    assert fields[0] == b"P5"
    pixels = data[position + 1 :]
    return sum(1 for value in pixels if value < 128) / len(pixels)
