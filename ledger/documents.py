"""The statement PDF, through the document engine of `contracts` (kind "member_statement").

The ledger builds the plain-data context from the statement (ledger.selectors.statements)
and contracts renders the association's current template of the kind. The document's sign
convention is the usual one of a statement sent to a member: a positive balance is what the
member owes, a negative one what is owed to them (the opposite of the ledger's legs), and
each line is a debit (what the member owes) or a credit (what they paid or advanced).
Rendering runs in a time-limited worker: call it outside database transactions.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from contracts.context import person_context
from contracts.models import DocumentKind
from contracts.rendering import RenderedDocument, render_document, render_documents
from core.money import ZERO
from ledger.periods import Span
from ledger.selectors.statements import statement_context
from members.models import Association, Membership


def _document_lines(statement: dict[str, Any]) -> list[dict[str, Any]]:
    """The statement's lines in date order, with debit, credit and the running balance."""
    lines = sorted(
        (line for section in statement["sections"] for line in section["lines"]),
        key=lambda line: (line["date"], line["number"]),
    )
    owed = -statement["opening_balance"]
    printed = []
    for line in lines:
        amount: Decimal = line["amount"]
        owed -= amount
        printed.append(
            {
                "date": line["date"],
                "label": line["description"],
                "reference": f"n° {line['number']}",
                "debit": -amount if amount < 0 else None,
                "credit": amount if amount > 0 else None,
                "balance": owed,
            }
        )
    return printed


def statement_document_context(membership: Membership, span: Span) -> dict[str, Any]:
    """The context of the "member_statement" document (keys: contracts.kinds)."""
    statement = statement_context(membership, span)
    lines = _document_lines(statement)
    return {
        "member": person_context(membership),
        "period": {"start": span.starts_on, "end": span.ends_on, "key": span.key},
        "opening_balance": -statement["opening_balance"],
        "lines": lines,
        "totals": {
            "debit": sum((line["debit"] or ZERO for line in lines), ZERO),
            "credit": sum((line["credit"] or ZERO for line in lines), ZERO),
        },
        "closing_balance": -statement["closing_balance"],
        "km_driven": statement["km_driven"],
        "is_final": statement["is_final"],
    }


def render_statement(membership: Membership, span: Span) -> RenderedDocument:
    """The member's statement of `span` as a PDF (DomainError if the template fails)."""
    return render_document(
        association=membership.association,
        kind=DocumentKind.MEMBER_STATEMENT,
        context=statement_document_context(membership, span),
    )


def statement_filename(membership: Membership, span: Span) -> str:
    return f"releve-{span.key}-{membership.user.last_name or membership.pk}.pdf"


def statements_of_period(association: Association, span: Span) -> list[Membership]:
    """The members a period concerns (postings in it or a balance at its end), by name."""
    from ledger.services.statement_mail import concerned_members

    concerned = concerned_members(association, span.starts_on, span.ends_on)
    return list(
        Membership.objects.filter(association=association, pk__in=concerned)
        .select_related("user", "association")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def render_all_statements(association: Association, span: Span) -> RenderedDocument | None:
    """Every concerned member's statement of `span` in one PDF, each from a new page (None
    when the period concerns nobody)."""
    members = statements_of_period(association, span)
    if not members:
        return None
    return render_documents(
        association=association,
        kind=DocumentKind.MEMBER_STATEMENT,
        contexts=[statement_document_context(member, span) for member in members],
    )
