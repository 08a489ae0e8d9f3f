"""Writes of document templates. Every save adds a version; none is ever changed."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from contracts.models import DocumentTemplate, TemplateVersion
from contracts.rendering import default_source, render_sample_body, sha256_text
from core.errors import DomainError
from members.audit import record_audit
from members.models import Association, Membership, User
from members.permissions import require_admin


def copy_default_template(
    *, actor: Membership, association: Association, kind: str
) -> TemplateVersion:
    """An admin takes the association's own copy of the shipped default as version 1 (or
    its latest version, when it already has a copy)."""
    require_admin(actor, association.pk)
    with transaction.atomic():
        template = _locked_template(actor.user, association, kind)
        latest = template.versions.order_by("-number").first()
        if latest is not None:
            return latest
        source = default_source(kind)
        return _add_version(actor.user, template, source, 1, str(_("Copy of the shipped default")))


def save_template_version(
    *, actor: Membership, association: Association, kind: str, source: str, note: str = ""
) -> TemplateVersion:
    """An admin's text: check that `source` renders with the sample context, then store it
    as a new version.

    Raises DocumentTemplateError (line and reason) for a broken template; saving the text
    of the latest version again adds nothing.
    """
    require_admin(actor, association.pk)
    source = source.replace("\r\n", "\n")
    if not source.strip():
        raise DomainError(_("The template is empty."), code="template_empty")
    render_sample_body(association=association, kind=kind, source=source)  # outside the tx
    with transaction.atomic():
        template = _locked_template(actor.user, association, kind)
        latest = template.versions.order_by("-number").first()
        if latest is not None and latest.source == source:
            return latest
        number = latest.number + 1 if latest else 1
        return _add_version(actor.user, template, source, number, note)


def _locked_template(actor: User, association: Association, kind: str) -> DocumentTemplate:
    template, _created = DocumentTemplate.objects.get_or_create(
        association=association, kind=kind, defaults={"created_by": actor}
    )
    # Serialises concurrent saves of the same kind, so version numbers never collide.
    return DocumentTemplate.objects.select_for_update().get(pk=template.pk)


def _add_version(
    actor: User, template: DocumentTemplate, source: str, number: int, note: str
) -> TemplateVersion:
    version = TemplateVersion.objects.create(
        template=template,
        number=number,
        source=source,
        source_sha256=sha256_text(source),
        note=note[:200],
        created_by=actor,
    )
    record_audit(
        action="contracts.template_saved",
        actor=actor,
        association=template.association,
        target=version,
        data={"kind": template.kind, "number": number, "sha256": version.source_sha256},
    )
    return version
