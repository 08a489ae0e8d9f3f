"""Admin pages: payments from the bank (upload a statement, check the matches, confirm)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from core.forms import add_domain_error, run_service
from ledger.access import get_bank_import_for_admin
from ledger.bankcsv import MAX_BYTES
from ledger.forms import BankLinesForm, BankStatementForm
from ledger.models import BankImport, BankLine
from ledger.services.bank import confirm_bank_import, import_bank_statement
from members.access import AssociationRequest, admin_required

GET_POST = require_http_methods(["GET", "POST"])
UNREADABLE = {
    "date": gettext_lazy("unreadable date"),
    "amount": gettext_lazy("unreadable amount"),
    "no_amount": gettext_lazy("no amount"),
    "amount_too_large": gettext_lazy("amount too large"),
}


@GET_POST
@admin_required
def bank_import(request: AssociationRequest, slug: str) -> HttpResponse:
    """Upload a bank statement; its lines are matched to members for checking."""
    form = BankStatementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if (upload.size or 0) > MAX_BYTES:
            limit = MAX_BYTES // 1024
            form.add_error(
                "file", _("The file is too large (at most %(limit)s KB).") % {"limit": limit}
            )
        else:
            try:
                created = import_bank_statement(
                    actor=request.membership, filename=upload.name or "", data=upload.read()
                )
            except DomainError as error:
                add_domain_error(form, error, default_field="file")
            else:
                return redirect("ledger:bank_import_detail", slug=slug, pk=created.pk)
    recent = BankImport.objects.filter(association=request.association)[:10]
    status = 400 if request.method == "POST" else 200
    return render(
        request, "ledger/bank_import.html", {"form": form, "imports": recent}, status=status
    )


@GET_POST
@admin_required
def bank_import_detail(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    """The lines of a statement with the member each one matches; one submission records
    the payments kept."""
    found = get_bank_import_for_admin(request.membership, pk)
    lines = list(found.lines.select_related("suggested__user", "membership__user"))
    pending = [line for line in lines if line.status == BankLine.Status.PENDING]
    form = BankLinesForm(
        request.POST if request.method == "POST" else None,
        lines=pending if found.status == BankImport.Status.PREVIEW else [],
        association=request.association,
    )
    posted: list[Any] = []
    if request.method == "POST" and form.is_valid():

        def action() -> None:
            posted.extend(
                confirm_bank_import(
                    actor=request.membership, bank_import=found, choices=form.choices()
                )
            )

        def success() -> str:
            return ngettext(
                "%(count)s payment was recorded.", "%(count)s payments were recorded.", len(posted)
            ) % {"count": len(posted)}

        if run_service(request, form, action, success):
            return redirect("ledger:bank_import_detail", slug=slug, pk=pk)
    if request.method == "POST" and not form.is_valid():
        messages.error(request, _("Check the members chosen below."))
    context = {
        "bank_import": found,
        "form": form,
        "lines": lines,
        "done": [line for line in lines if line.status != BankLine.Status.PENDING],
        "unreadable": [(row, UNREADABLE.get(code, code)) for row, code in found.unreadable],
        "matched": sum(1 for line in pending if line.suggested_id),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "ledger/bank_import_detail.html", context, status=status)
