"""CSV import of members: upload → preview with per-row errors → confirm (or nothing): every
row is invited, whether its address has an account or not (the pages cannot tell)."""

from __future__ import annotations

from django.contrib import messages
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from core.forms import message_domain_error
from members.access import AssociationRequest, admin_required
from members.csv_import import COLUMNS, decode
from members.forms import ImportConfirmForm, ImportUploadForm
from members.services.imports import import_members, preview_member_import

# The previewed file travels back signed with the confirmation, so nothing is stored
# between the two steps and nobody can slip in another file.
PAYLOAD_MAX_AGE = 3600


def _salt(request: AssociationRequest) -> str:
    return f"members.import:{request.association.pk}:{request.user.pk}"


@admin_required
@require_http_methods(["GET", "POST"])
def upload(request: AssociationRequest, slug: str) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if not form.is_valid():
        status = 400 if form.errors else 200
        context = {"form": form, "columns": list(COLUMNS)}
        return render(request, "members/import_upload.html", context, status=status)
    text = decode(form.cleaned_data["file"].read())
    return _preview(request, text)


@admin_required
@require_POST
def confirm(request: AssociationRequest, slug: str) -> HttpResponse:
    form = ImportConfirmForm(request.POST)
    try:
        text = signing.loads(
            form.data.get("payload", ""), salt=_salt(request), max_age=PAYLOAD_MAX_AGE
        )
        count = import_members(actor=request.membership, text=text)
    except signing.BadSignature:
        messages.error(request, _("This preview is too old or was altered: upload the file again."))
        return redirect("members:import", slug=slug)
    except DomainError as error:
        message_domain_error(request, error)
        return _preview(request, text)
    messages.success(
        request,
        ngettext(
            "%(count)s invitation sent: the person joins by accepting it.",
            "%(count)s invitations sent: each person joins by accepting theirs.",
            count,
        )
        % {"count": count},
    )
    return redirect("members:invite", slug=slug)


def _preview(request: AssociationRequest, text: str) -> HttpResponse:
    preview = preview_member_import(actor=request.membership, text=text)
    payload = signing.dumps(text, salt=_salt(request), compress=True) if preview.is_valid else ""
    context = {"preview": preview, "confirm_form": ImportConfirmForm(initial={"payload": payload})}
    status = 200 if preview.is_valid else 400
    return render(request, "members/import_preview.html", context, status=status)
