"""Template editing (admins): copy a default, edit, preview, save as a new version, history,
and the difference with the shipped default.

The preview comes before saving: "Preview" renders the text with the sample context in
the sandbox and shows it; only a text that was previewed as it is can be saved (the form
carries the SHA-256 of the previewed text).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contracts import selectors, services
from contracts.access import get_kind
from contracts.forms import TemplateEditForm
from contracts.kinds import KindSpec
from contracts.rendering import (
    DOCUMENT_LANGUAGE,
    current_template,
    default_source,
    document_title,
    render_sample,
    render_sample_body,
    sha256_text,
)
from contracts.sandbox import wrap_document
from contracts.views.documents import pdf_response
from core.errors import DomainError
from core.forms import add_domain_error
from members.access import AssociationRequest, admin_required


@require_GET
@admin_required
def template_list(request: AssociationRequest, slug: str) -> HttpResponse:
    rows = selectors.template_rows(request.association)
    return render(request, "contracts/template_list.html", {"rows": rows})


@require_POST
@admin_required
def template_copy(request: AssociationRequest, slug: str, kind: str) -> HttpResponse:
    spec = get_kind(kind)
    services.copy_default_template(
        actor=request.membership, association=request.association, kind=kind
    )
    return redirect("contracts:template_edit", slug=slug, kind=spec.kind)


@require_http_methods(["GET", "POST"])
@admin_required
def template_edit(request: AssociationRequest, slug: str, kind: str) -> HttpResponse:
    spec = get_kind(kind)
    current = current_template(association=request.association, kind=kind)
    if request.method == "GET":
        form = TemplateEditForm(initial={"source": current.source})
        return _editor(request, spec, form, current_label=current.label)
    form = TemplateEditForm(request.POST)
    if not form.is_valid():
        return _editor(request, spec, form, current_label=current.label, status=400)
    action = request.POST.get("action", "preview")
    if action == "save":
        return _save(request, spec, form, current.label)
    if action == "preview_pdf":
        return _preview_pdf(request, spec, form, current.label)
    return _preview(request, spec, form, current.label)


def _source(form: TemplateEditForm) -> str:
    return str(form.cleaned_data["source"]).replace("\r\n", "\n")


def _preview(
    request: AssociationRequest, spec: KindSpec, form: TemplateEditForm, current_label: str
) -> HttpResponse:
    source = _source(form)
    try:
        body = render_sample_body(association=request.association, kind=spec.kind, source=source)
    except DomainError as error:
        add_domain_error(form, error, default_field="source")
        return _editor(request, spec, form, current_label=current_label, status=400)
    previewed = TemplateEditForm(
        initial={
            "source": source,
            "note": form.cleaned_data["note"],
            "previewed_sha256": sha256_text(source),
        }
    )
    return _editor(request, spec, previewed, current_label=current_label, preview=body)


def _preview_pdf(
    request: AssociationRequest, spec: KindSpec, form: TemplateEditForm, current_label: str
) -> HttpResponse:
    try:
        document = render_sample(
            association=request.association, kind=spec.kind, source=_source(form)
        )
    except DomainError as error:
        add_domain_error(form, error, default_field="source")
        return _editor(request, spec, form, current_label=current_label, status=400)
    return pdf_response(document, f"apercu-{spec.kind}.pdf")


def _save(
    request: AssociationRequest, spec: KindSpec, form: TemplateEditForm, current_label: str
) -> HttpResponse:
    source = _source(form)
    if form.cleaned_data["previewed_sha256"] != sha256_text(source):
        form.add_error("source", _("Preview this text before saving it."))
        return _editor(request, spec, form, current_label=current_label, status=400)
    try:
        services.save_template_version(
            actor=request.membership,
            association=request.association,
            kind=spec.kind,
            source=source,
            note=form.cleaned_data["note"],
        )
    except DomainError as error:
        add_domain_error(form, error, default_field="source")
        return _editor(request, spec, form, current_label=current_label, status=400)
    return redirect("contracts:template_history", slug=request.association.slug, kind=spec.kind)


def _editor(
    request: AssociationRequest,
    spec: KindSpec,
    form: TemplateEditForm,
    *,
    current_label: str,
    preview: str = "",
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "spec": spec,
        "form": form,
        "current_label": current_label,
        "keys": ("association", "today", *spec.keys),
        "preview_document": _preview_document(spec, preview) if preview else "",
    }
    return render(request, "contracts/template_edit.html", context, status=status)


def _preview_document(spec: KindSpec, body: str) -> str:
    """The previewed body as a page for a sandboxed iframe (no script, own origin)."""
    head = (
        f'<link rel="stylesheet" href="{static("contracts/print.css")}">'
        f'<link rel="stylesheet" href="{static("contracts/preview.css")}">'
    )
    return wrap_document(body, title=document_title(spec), language=DOCUMENT_LANGUAGE, head=head)


@require_GET
@admin_required
def template_history(request: AssociationRequest, slug: str, kind: str) -> HttpResponse:
    spec = get_kind(kind)
    versions = selectors.template_versions(association=request.association, kind=kind)
    return render(request, "contracts/template_history.html", {"spec": spec, "versions": versions})


@require_GET
@admin_required
def template_version(
    request: AssociationRequest, slug: str, kind: str, number: int
) -> HttpResponse:
    spec = get_kind(kind)
    version = selectors.get_template_version(
        association=request.association, kind=kind, number=number
    )
    if version is None:
        raise Http404
    context = {
        "spec": spec,
        "version": version,
        "diff": selectors.diff_lines(default_source(kind), version.source),
    }
    return render(request, "contracts/template_version.html", context)


@require_GET
@admin_required
def template_default(request: AssociationRequest, slug: str, kind: str) -> HttpResponse:
    spec = get_kind(kind)
    context = {"spec": spec, "source": default_source(kind)}
    return render(request, "contracts/template_default.html", context)
