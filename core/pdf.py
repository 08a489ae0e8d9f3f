"""The one WeasyPrint entry point: A4 pages, a running header, "page X / Y", an optional
initials box on every page, no network, a time limit.

- Resources: `StaticOnlyFetcher` serves only the project's own static files (as found by
  django.contrib.staticfiles' finders, and only stylesheets, images and fonts). Any other
  URL (http, https, file, data, a path outside the static files) is refused: nothing is
  fetched, the document renders without it, and the refusal is logged.
- Fonts come from the system through fontconfig (DejaVu is installed with the package
  `fonts-dejavu-core`); nothing is downloaded.
- Load: renders are capped per process and per person (see "Render caps" below); past a
  cap a render is refused at once with RenderBusy, which answers 429 with Retry-After.
- Time: rendering runs in a worker process (`core.bounded`) killed after
  settings.PDF_RENDER_TIMEOUT_SECONDS (SIGKILL: it really stops, whatever the worker is
  doing); the caller gets PdfTimeout. The worker's memory is capped as well.

Callers with a finished HTML document use `render_pdf`. `contracts` renders its
templates and the PDF in one worker: it calls `prepare_job` in the web process, and
`core.pdf_worker.write_pdf` inside its own worker function, through `run_render`.
The web process never imports WeasyPrint; the worker side lives in core/pdf_worker.py.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext

from core.bounded import WorkerError, WorkerTimeout, run_in_worker

logger = logging.getLogger(__name__)

# Relative URLs in documents resolve against this origin, which never resolves (.invalid,
# RFC 2606); the fetcher maps it to static files and never opens a connection.
STATIC_ORIGIN = "https://static.carshare.invalid/"
# Memory a rendering worker may allocate beyond what it shares with the fork server: a
# 100-page document needs far less; a runaway template gets MemoryError.
WORKER_MEMORY_HEADROOM = 768 * 1024 * 1024
# Every document is a tagged PDF for screen readers (WeasyPrint's PDF/UA-1 variant).
PDF_VARIANT = "pdf/ua-1"
# Seconds a refused caller is told to wait when a process is busy (a render takes about one).
BUSY_RETRY_AFTER = 5
ALLOWED_SUFFIXES = frozenset(
    {".css", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".woff", ".woff2", ".ttf", ".otf"}
)


class PdfError(RuntimeError):
    """The document could not be rendered."""


class PdfTimeout(PdfError):
    """Rendering took longer than settings.PDF_RENDER_TIMEOUT_SECONDS."""


@dataclass(frozen=True)
class PdfJob:
    """Everything the worker needs, as plain picklable data."""

    html: str
    title: str
    language: str
    page_css: str
    stylesheets: tuple[str, ...] = ()
    static_files: Mapping[str, str] = field(default_factory=dict)
    static_prefix: str = "static/"


@dataclass(frozen=True)
class PdfResult:
    pdf: bytes
    sha256: str
    page_count: int
    refused_urls: tuple[str, ...] = ()


# --- In the web process --------------------------------------------------------------------


def render_pdf(
    *,
    html: str,
    title: str,
    header: str,
    initials_box: bool = False,
    landscape: bool = False,
    stylesheets: Sequence[str] = (),
    language: str = "fr",
) -> PdfResult:
    """Render a complete HTML document to PDF in a time-limited worker.

    `header` (the association's name) and `title` run at the top of every page;
    `stylesheets` are static paths such as "contracts/print.css".
    """
    job = prepare_job(
        html=html,
        title=title,
        header=header,
        initials_box=initials_box,
        landscape=landscape,
        stylesheets=stylesheets,
        language=language,
    )
    result = run_render("core.pdf_worker.write_pdf", job)
    assert isinstance(result, PdfResult)  # noqa: S101 - the worker's return type
    report_refusals(result)
    return result


def prepare_job(
    *,
    html: str,
    title: str,
    header: str,
    initials_box: bool = False,
    landscape: bool = False,
    stylesheets: Sequence[str] = (),
    language: str = "fr",
) -> PdfJob:
    """The worker's job: the page set-up in `language`, the map of allowed static files."""
    with translation.override(language):
        labels = {"page": gettext("Page"), "initials": gettext("Initials")}
    return PdfJob(
        html=html,
        title=title,
        language=language,
        page_css=page_css(
            title=title,
            header=header,
            initials_box=initials_box,
            landscape=landscape,
            labels=labels,
        ),
        stylesheets=tuple(stylesheets),
        static_files=static_file_map(),
        static_prefix=settings.STATIC_URL.strip("/") + "/",
    )


def run_render(target: str, payload: Any) -> Any:
    """`target(payload)` in a worker bounded by settings.PDF_RENDER_TIMEOUT_SECONDS.

    `target` is the dotted path of a worker function (see core.bounded.run_in_worker).
    Raises RenderBusy, before any worker starts, past a render cap (see below).
    """
    timeout = settings.PDF_RENDER_TIMEOUT_SECONDS
    try:
        with render_slot():
            return run_in_worker(
                target, payload, timeout=timeout, memory_headroom=WORKER_MEMORY_HEADROOM
            )
    except WorkerTimeout:
        logger.warning("pdf: rendering stopped after %s s", timeout)
        raise PdfTimeout(f"rendering took more than {timeout} s") from None
    except WorkerError as error:
        logger.error("pdf: rendering failed: %s", error)
        raise PdfError(str(error)) from None


# --- Render caps ---------------------------------------------------------------------------
# A render is the costliest request there is (a worker process allowed 768 MiB for up to
# PDF_RENDER_TIMEOUT_SECONDS). Every render takes a slot of its process (at most
# settings.PDF_RENDERS_PER_PROCESS at once) and, when it runs for a person (a web request),
# one of that person's (settings.PDF_RENDERS_PER_USER at once, counted in the cache so that
# every process sees them, and settings.PDF_RENDERS_PER_USER_PER_MINUTE). Past a cap the
# render is refused at once with RenderBusy: the page answers 429 with Retry-After
# (core.middleware.RenderLimitMiddleware), the API the same in JSON (core.api).

Owner = str | Callable[[], str | None] | None  # a key, or how to compute it when needed
_render_owner: contextvars.ContextVar[Owner] = contextvars.ContextVar(
    "pdf_render_owner", default=None
)
_process_lock = threading.Lock()
_process_renders = 0


class RenderBusy(Exception):
    """Too many renders now: try again in `retry_after` seconds. Not a PdfError (nothing
    failed) nor a DomainError (views must not swallow it: it answers 429 wherever it rises)."""

    code = "render_busy"

    def __init__(self, *, retry_after: int) -> None:
        super().__init__(f"too many renders, retry after {retry_after} s")
        self.retry_after = retry_after

    @property
    def message(self) -> str:
        return gettext(
            "Too many documents are being prepared right now. Try again in %(seconds)s seconds."
        ) % {"seconds": self.retry_after}


def owner_of_user(user: Any) -> str | None:
    """The key a person's renders are counted under (None: an anonymous caller)."""
    return f"user:{user.pk}" if getattr(user, "is_authenticated", False) else None


@contextlib.contextmanager
def renders_by(owner: Owner) -> Iterator[None]:
    """Count the renders of the block as `owner`'s (set per request by the middleware, with
    a callable so that the user is looked up only when a render happens)."""
    token = _render_owner.set(owner)
    try:
        yield
    finally:
        _render_owner.reset(token)


def renders_in_progress() -> int:
    """Renders running in this process now."""
    return _process_renders


@contextlib.contextmanager
def render_slot() -> Iterator[None]:
    """Hold a render slot of this process and of the current owner, or raise RenderBusy."""
    owner = _render_owner.get()
    if callable(owner):
        owner = owner()
    with _process_slot(), _owner_slot(owner):
        yield


@contextlib.contextmanager
def _process_slot() -> Iterator[None]:
    global _process_renders
    with _process_lock:
        if _process_renders >= settings.PDF_RENDERS_PER_PROCESS:
            raise RenderBusy(retry_after=BUSY_RETRY_AFTER)
        _process_renders += 1
    try:
        yield
    finally:
        with _process_lock:
            _process_renders -= 1


@contextlib.contextmanager
def _owner_slot(owner: str | None) -> Iterator[None]:
    if owner is None:
        yield
        return
    _count_this_minute(owner)
    key = f"pdf:renders:{owner}"
    # Expires on its own if a process dies mid-render (the counter would stay up otherwise).
    lifetime = settings.PDF_RENDER_TIMEOUT_SECONDS + 30
    cache.add(key, 0, lifetime)
    running = _incr(key)
    try:
        if running > settings.PDF_RENDERS_PER_USER:
            raise RenderBusy(retry_after=BUSY_RETRY_AFTER)
        yield
    finally:
        _decr(key)


def _count_this_minute(owner: str) -> None:
    now = int(time.time())
    key = f"pdf:minute:{owner}:{now // 60}"
    cache.add(key, 0, 90)
    if _incr(key) > settings.PDF_RENDERS_PER_USER_PER_MINUTE:
        raise RenderBusy(retry_after=60 - now % 60)


def _incr(key: str) -> int:
    """The new count; 0 when the cache is unreachable (fail open: the process cap holds)."""
    try:
        return int(cache.incr(key))
    except ValueError:  # expired or evicted between add and incr, or cache down
        return 0


def _decr(key: str) -> None:
    with contextlib.suppress(ValueError):
        cache.decr(key)


def report_refusals(result: PdfResult) -> None:
    for url in result.refused_urls:
        logger.warning("pdf: refused to fetch %s", url)


@functools.lru_cache(maxsize=1)
def static_file_map() -> dict[str, str]:
    """Static path -> file, for the stylesheets, images and fonts the finders know."""
    from django.contrib.staticfiles import finders

    files: dict[str, str] = {}
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            key = path.replace("\\", "/")
            prefix = getattr(storage, "prefix", None)
            if prefix:
                key = f"{prefix}/{key}"
            if PurePosixPath(key).suffix.lower() in ALLOWED_SUFFIXES and key not in files:
                files[key] = storage.path(path)
    return files


def page_css(
    *, title: str, header: str, initials_box: bool, landscape: bool, labels: Mapping[str, str]
) -> str:
    """@page rules: A4, margins, running header, page X / Y, the initials box."""
    size = "A4 landscape" if landscape else "A4"
    margin_font = 'font-family: "DejaVu Sans", sans-serif; font-size: 7.5pt; color: #444;'
    rules = [
        f"size: {size};",
        "margin: 20mm 15mm 24mm 15mm;",
        f"@top-left {{ content: {css_string(header)}; {margin_font} vertical-align: bottom;"
        " padding-bottom: 2mm; border-bottom: 0.5pt solid #888; width: 65%; }",
        f"@top-right {{ content: {css_string(title)}; {margin_font} vertical-align: bottom;"
        " text-align: right; padding-bottom: 2mm; border-bottom: 0.5pt solid #888; width: 35%; }",
        f'@bottom-right {{ content: {css_string(labels["page"] + " ")} counter(page) " / "'
        f" counter(pages); {margin_font} vertical-align: middle; }}",
    ]
    if initials_box:
        rules.append(
            f"@bottom-left {{ content: {css_string(labels['initials'])}; {margin_font}"
            " width: 42mm; height: 13mm; margin-top: 4mm; padding: 1mm 2mm;"
            " border: 0.6pt solid #444; vertical-align: top; }"
        )
    return "@page { " + " ".join(rules) + " }"


def css_string(text: str) -> str:
    """A CSS string literal: every character but letters, digits and spaces escaped."""
    escaped = "".join(
        char if char.isalnum() or char == " " else f"\\{ord(char):06x} " for char in text
    )
    return f'"{escaped}"'
