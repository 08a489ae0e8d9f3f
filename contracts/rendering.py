"""Rendering API for every app: a document kind, an association, a plain-data context in;
PDF bytes, their SHA-256 and the template version used out.

    from contracts.rendering import render_document
    from contracts.models import DocumentKind

    document = render_document(
        association=association, kind=DocumentKind.HANDOVER_CHECKLIST, context={...}
    )
    document.pdf, document.sha256, document.template_label

The context keys each kind expects are listed in contracts.kinds (KindSpec.keys) and
documented at the top of each default template in contracts/defaults/; the builders of
contracts.context make the parts contracts knows (association, person, vehicle, lender).
`association` and `today` are always added here. Rendering happens in a time-limited
worker process; call this outside database transactions.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contracts.context import association_context
from contracts.kinds import Gap, KindSpec, spec_for
from contracts.models import DocumentKind, TemplateVersion
from contracts.sandbox import TemplateProblem, ensure_plain
from contracts.worker import DocumentJob, DocumentOutcome, DocumentsJob
from core.errors import DomainError
from core.pdf import (
    PdfError,
    PdfJob,
    PdfResult,
    PdfTimeout,
    prepare_job,
    report_refusals,
    run_render,
)
from core.timeutils import local_today
from members.models import Association

DOCUMENT_LANGUAGE = "fr"  # the shipped documents are French, whoever prints them
STYLESHEETS = ("contracts/print.css",)
DEFAULT_LABEL = "default"


class DocumentTemplateError(DomainError):
    """A template cannot be rendered; `line` and `reason` say where and why."""

    code = "template_invalid"
    http_status = 400

    @classmethod
    def from_problem(cls, problem: TemplateProblem) -> DocumentTemplateError:
        if problem.line is None:
            message = _("The template cannot be used: %(reason)s") % {"reason": problem.reason}
        else:
            message = _("Line %(line)s: %(reason)s") % {
                "line": problem.line,
                "reason": problem.reason,
            }
        return cls(message, line=problem.line, reason=problem.reason)


class DocumentIncomplete(DomainError):
    """A legally required field is empty: the document is not printed (`missing` lists
    the fields, e.g. "driver.birth_place")."""

    code = "document_incomplete"
    http_status = 409

    @classmethod
    def from_gaps(cls, gaps: list[Gap]) -> DocumentIncomplete:
        # Read when shown: in the reader's language, not the document's.
        message = lazy(_incomplete_message, str)(gaps)
        return cls(message, missing=[gap.path for gap in gaps])


def _incomplete_message(gaps: list[Gap]) -> str:
    return gettext(
        "The document cannot be printed: fill in %(missing)s first (the law requires it)."
    ) % {"missing": ", ".join(gap.describe() for gap in gaps)}


class DocumentRenderError(DomainError):
    code = "document_unavailable"
    http_status = 503


@dataclass(frozen=True)
class TemplateText:
    source: str
    version: TemplateVersion | None  # None: the shipped default
    label: str
    sha256: str


@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes
    sha256: str
    page_count: int
    template_label: str
    template_version_id: int | None
    template_sha256: str
    context: dict[str, Any]  # the plain data the document printed


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def default_source(kind: str) -> str:
    """The shipped default template of `kind` (contracts/defaults/<kind>.html)."""
    return spec_for(kind).default_path.read_text(encoding="utf-8")


def default_template(kind: str) -> TemplateText:
    source = default_source(kind)
    return TemplateText(source, None, DEFAULT_LABEL, sha256_text(source))


def current_template(*, association: Association, kind: str) -> TemplateText:
    """The association's latest saved version of `kind`, else the shipped default."""
    version = (
        TemplateVersion.objects.filter(template__association=association, template__kind=kind)
        .order_by("-number")
        .first()
    )
    if version is None:
        return default_template(kind)
    return TemplateText(version.source, version, f"v{version.number}", version.source_sha256)


def base_context(association: Association) -> dict[str, Any]:
    return {"association": association_context(association), "today": local_today(association.tz)}


def render_document(
    *, association: Association, kind: DocumentKind | str, context: Mapping[str, Any]
) -> RenderedDocument:
    """Render the association's current template of `kind` with `context` to PDF.

    Raises DocumentTemplateError (the association's template fails on this data) or
    DocumentRenderError (time limit); TypeError/ValueError for a malformed context.
    """
    spec = spec_for(kind)
    missing = [key for key in spec.keys if key not in context]
    if missing:
        raise ValueError(f"{kind} context lacks {', '.join(missing)}")
    gaps = spec.gaps(dict(context))
    if gaps:
        raise DocumentIncomplete.from_gaps(gaps)
    full = ensure_plain(base_context(association) | dict(context))
    template = current_template(association=association, kind=spec.kind)
    return _render_pdf(association=association, spec=spec, template=template, context=full)


def render_documents(
    *,
    association: Association,
    kind: DocumentKind | str,
    contexts: Sequence[Mapping[str, Any]],
) -> RenderedDocument:
    """The association's current template of `kind` rendered once per context, all in one
    PDF, each from a new page (`context` of the result: {"parts": [each full context]})."""
    spec = spec_for(kind)
    full = []
    for context in contexts:
        missing = [key for key in spec.keys if key not in context]
        if missing:
            raise ValueError(f"{kind} context lacks {', '.join(missing)}")
        full.append(ensure_plain(base_context(association) | dict(context)))
    template = current_template(association=association, kind=spec.kind)
    job = DocumentsJob(source=template.source, contexts=tuple(full), pdf=pdf_job(association, spec))
    try:
        outcome = run_render("contracts.worker.render_documents", job)
    except PdfTimeout:
        raise DocumentRenderError(
            _("The document took too long to render; simplify the template or try again."),
            code="document_timeout",
        ) from None
    except PdfError:
        raise DocumentRenderError(_("The document could not be rendered.")) from None
    assert isinstance(outcome, DocumentOutcome)  # noqa: S101 - the worker's return type
    if outcome.problem is not None:
        raise DocumentTemplateError.from_problem(outcome.problem)
    result = outcome.result
    assert isinstance(result, PdfResult)  # noqa: S101 - a PDF job without a problem has one
    report_refusals(result)
    return RenderedDocument(
        pdf=result.pdf,
        sha256=result.sha256,
        page_count=result.page_count,
        template_label=template.label,
        template_version_id=template.version.pk if template.version else None,
        template_sha256=template.sha256,
        context={"parts": full},
    )


def render_sample(*, association: Association, kind: str, source: str) -> RenderedDocument:
    """`source` rendered to PDF with the sample context of `kind` (the editor's preview)."""
    spec = spec_for(kind)
    template = TemplateText(source, None, "preview", sha256_text(source))
    context = ensure_plain(base_context(association) | spec.sample())
    return _render_pdf(association=association, spec=spec, template=template, context=context)


def render_sample_body(*, association: Association, kind: str, source: str) -> str:
    """The HTML body of `source` with the sample context; DocumentTemplateError if broken."""
    spec = spec_for(kind)
    context = ensure_plain(base_context(association) | spec.sample())
    job = DocumentJob(
        source=source, context=context, pdf=pdf_job(association, spec), html_only=True
    )
    return _run(job).body


def document_language(association: Association) -> translation.override:
    """Activates the language the association's documents are printed in, whoever prints
    them: French (the shipped templates are French, every association prints in French).
    Wrap the building of a document's context and its rendering in it, so that the words
    the context carries (a status, a label) and the page furniture are in that language."""
    return translation.override(DOCUMENT_LANGUAGE)


def document_title(spec: KindSpec) -> str:
    with translation.override(DOCUMENT_LANGUAGE):
        return str(spec.title)


def pdf_job(association: Association, spec: KindSpec) -> PdfJob:
    """The page set-up of `spec` for `association`, ready for the worker."""
    return prepare_job(
        html="",
        title=document_title(spec),
        header=association.name,
        initials_box=spec.initials_box,
        landscape=spec.landscape,
        stylesheets=STYLESHEETS,
        language=DOCUMENT_LANGUAGE,
    )


def _render_pdf(
    *, association: Association, spec: KindSpec, template: TemplateText, context: dict[str, Any]
) -> RenderedDocument:
    job = DocumentJob(source=template.source, context=context, pdf=pdf_job(association, spec))
    result = _run(job).result
    assert isinstance(result, PdfResult)  # noqa: S101 - a PDF job without a problem has one
    report_refusals(result)
    return RenderedDocument(
        pdf=result.pdf,
        sha256=result.sha256,
        page_count=result.page_count,
        template_label=template.label,
        template_version_id=template.version.pk if template.version else None,
        template_sha256=template.sha256,
        context=context,
    )


def _run(job: DocumentJob) -> DocumentOutcome:
    try:
        outcome = run_render("contracts.worker.render_document", job)
    except PdfTimeout:
        raise DocumentRenderError(
            _("The document took too long to render; simplify the template or try again."),
            code="document_timeout",
        ) from None
    except PdfError:
        raise DocumentRenderError(_("The document could not be rendered.")) from None
    assert isinstance(outcome, DocumentOutcome)  # noqa: S101 - the worker's return type
    if outcome.problem is not None:
        raise DocumentTemplateError.from_problem(outcome.problem)
    return outcome
