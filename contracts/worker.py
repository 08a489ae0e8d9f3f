"""The rendering worker's side of contracts: sandboxed template, then WeasyPrint, in one
time-limited process (see core.bounded). The web process imports this module for the job
types only; WeasyPrint is imported in the worker (preloaded by the fork server)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from contracts.sandbox import TemplateProblem, TemplateRefused, render_source, wrap_document
from core.pdf import PdfJob, PdfResult
from core.typography import french_html


@dataclass(frozen=True)
class DocumentJob:
    source: str
    context: dict[str, Any]
    pdf: PdfJob  # its html is filled in here
    html_only: bool = False  # previews: the rendered body, no PDF


@dataclass(frozen=True)
class DocumentOutcome:
    body: str = ""
    result: PdfResult | None = None
    problem: TemplateProblem | None = None


def render_document(job: DocumentJob) -> DocumentOutcome:
    try:
        body = render_source(job.source, job.context)
    except TemplateRefused as refused:
        return DocumentOutcome(problem=refused.problem)
    if job.pdf.language.startswith("fr"):
        body = french_html(body)
    if job.html_only:
        return DocumentOutcome(body=body)
    from core.pdf_worker import write_pdf

    html = wrap_document(body, title=job.pdf.title, language=job.pdf.language)
    return DocumentOutcome(body=body, result=write_pdf(replace(job.pdf, html=html)))


@dataclass(frozen=True)
class DocumentsJob:
    """One template rendered once per context, the bodies printed one after the other in a
    single PDF, each from a new page (every member's statement of a period)."""

    source: str
    contexts: tuple[dict[str, Any], ...]
    pdf: PdfJob


def render_documents(job: DocumentsJob) -> DocumentOutcome:
    bodies = []
    for context in job.contexts:
        try:
            bodies.append(render_source(job.source, context))
        except TemplateRefused as refused:
            return DocumentOutcome(problem=refused.problem)
    body = "".join(
        f'<section class="document-part" style="break-before: page">{part}</section>'
        if index
        else f'<section class="document-part">{part}</section>'
        for index, part in enumerate(bodies)
    )
    from core.pdf_worker import write_pdf

    html = wrap_document(body, title=job.pdf.title, language=job.pdf.language)
    return DocumentOutcome(body=body, result=write_pdf(replace(job.pdf, html=html)))
