"""A member's own pages: their account, their statements, the receipts that concern them."""

from __future__ import annotations

from typing import cast

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from contracts.rendering import RenderedDocument
from core.errors import DomainError
from core.files import serve_private_file
from core.forms import message_domain_error
from core.fragments import cached_value
from core.pages import cached_page
from core.timeutils import local_today
from core.typography import typeset
from ledger.access import get_transaction_for_member
from ledger.documents import render_statement, statement_filename
from ledger.periods import Span
from ledger.selectors.balances import (
    ledger_version,
    member_balance,
    settlement_cached,
    transfers_of,
)
from ledger.selectors.my_account import deposit_lines, owns_a_car
from ledger.selectors.statements import statement_context
from ledger.selectors.transactions import recent_periods, span_from_key, transactions_in
from ledger.services.bank import payment_reference
from members.access import AssociationRequest, member_required
from members.models import Membership


def chosen_span(request: AssociationRequest) -> Span:
    """The period of ?period=, or the current one (with a message if it was malformed)."""
    try:
        return span_from_key(request.association, request.GET.get("period"))
    except DomainError as error:
        message_domain_error(request, error)
        return span_from_key(request.association, None)


@require_safe
@member_required
def my_account(request: AssociationRequest, slug: str) -> HttpResponse:
    """Balance, transfers to make or expect, the period's transactions, statements.

    All but the deposits comes from the legs: rendered once per version of the association's
    ledger (bumped by a trigger on every write of a leg, read first: core.fragments), per
    member, period, day and language. Names may lag by at most FRAGMENT_SECONDS."""
    membership, association = request.membership, request.association
    span = chosen_span(request)
    version = ledger_version(association)  # before any leg (core.fragments)
    today = local_today(association.tz)
    parts = (
        membership.pk, version, span.key, today, association.settlement_period,
        str(association.tz), get_language(),
    )  # fmt: skip

    def render_body() -> str:
        body = {
            "balance": member_balance(membership),
            "transfers": transfers_of(settlement_cached(association, version), membership),
            "span": span,
            "transactions": transactions_in(
                association, span.starts_on, span.ends_on, membership=membership
            ),
            "periods": recent_periods(association),
            "payment_reference": payment_reference(membership),
        }
        html = render_to_string("ledger/_my_account_body.html", body, request)
        return typeset(html, get_language())

    body = mark_safe(cached_value("ledger:account", parts, render_body))  # noqa: S308 - ours
    deposits, owns = deposit_lines(membership), owns_a_car(membership)
    context = {"body": body, "deposits": deposits, "owns_a_car": owns}
    return cached_page(request, "ledger/my_account.html", context, (body, tuple(deposits), owns))


@require_safe
@member_required
def my_statement(request: AssociationRequest, slug: str, period: Span) -> HttpResponse:
    """The member's statement of a period (provisional until the period is closed)."""
    context = {
        "statement": statement_context(request.membership, period),
        "span": period,
        "pdf_url": reverse("ledger:my_statement_pdf", kwargs={"slug": slug, "period": period.key}),
    }
    return render(request, "ledger/statement.html", context)


@require_safe
@member_required
def receipt(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    """A receipt, for admins and the members the transaction concerns."""
    txn = get_transaction_for_member(request.membership, pk)
    # A streamed file; the access decorators are typed for HttpResponse views.
    return cast(HttpResponse, serve_private_file(txn.receipt, download_name=f"receipt-{txn.pk}"))


def pdf_response(document: RenderedDocument, filename: str) -> HttpResponse:
    response = HttpResponse(document.pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename) or ""
    response["Cache-Control"] = "private, no-store"
    return response


def statement_pdf_response(
    request: AssociationRequest, membership: Membership, period: Span, html_url: str
) -> HttpResponse:
    """The statement as a PDF, or back to its page with the reason it could not be printed."""
    try:
        document = render_statement(membership, period)
    except DomainError as error:
        message_domain_error(request, error)
        return redirect(html_url)
    return pdf_response(document, statement_filename(membership, period))


@require_safe
@member_required
def my_statement_pdf(request: AssociationRequest, slug: str, period: Span) -> HttpResponse:
    """The member's statement of a period as a PDF."""
    html_url = reverse("ledger:my_statement", kwargs={"slug": slug, "period": period.key})
    return statement_pdf_response(request, request.membership, period, html_url)
