"""The worker side of core.pdf: WeasyPrint and the static-only URL fetcher.

Imported by the PDF fork server (see core.bounded and core.pdf_preload), never by the web
process, which only prepares plain-data jobs.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from core.pdf import ALLOWED_SUFFIXES, PDF_VARIANT, STATIC_ORIGIN, PdfJob, PdfResult


def write_pdf(job: PdfJob) -> PdfResult:
    """Render `job` with WeasyPrint (runs in the worker process)."""
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)  # refusals are reported
    fetcher = StaticOnlyFetcher(job.static_files, static_prefix=job.static_prefix)
    sheets = [CSS(string=job.page_css, url_fetcher=fetcher)]
    sheets += [CSS(url=STATIC_ORIGIN + path, url_fetcher=fetcher) for path in job.stylesheets]
    document = HTML(string=job.html, base_url=STATIC_ORIGIN, url_fetcher=fetcher).render(
        stylesheets=sheets
    )
    document.metadata.title = job.title
    document.metadata.lang = job.language
    # Tagged for screen readers (PDF/UA-1: structure tags, language, title shown).
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    assert isinstance(pdf, bytes)  # noqa: S101 - no target given, WeasyPrint returns bytes
    return PdfResult(
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        page_count=len(document.pages),
        refused_urls=tuple(fetcher.refused),
    )


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint's URL fetcher, reduced to the project's static files."""

    def __init__(self, static_files: Mapping[str, str], *, static_prefix: str) -> None:
        super().__init__(allowed_protocols=("https",), allow_redirects=False)
        self.static_files = static_files
        self.static_prefix = static_prefix
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        path = self.static_path(url)
        if path is None:
            self.refused.append(url[:200])
            raise ValueError("only the project's static files may be fetched")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        with open(self.static_files[path], "rb") as handle:
            body = handle.read()
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    def static_path(self, url: str) -> str | None:
        """The static path `url` names, or None when it names anything else."""
        if not url.startswith(STATIC_ORIGIN):
            return None
        path = unquote(url[len(STATIC_ORIGIN) :].split("#")[0].split("?")[0])
        path = path.removeprefix(self.static_prefix)
        if "\\" in path or any(part in {"", ".", ".."} for part in path.split("/")):
            return None
        if PurePosixPath(path).suffix.lower() not in ALLOWED_SUFFIXES:
            return None
        return path if path in self.static_files else None
