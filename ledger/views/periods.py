"""Admin pages for settlement periods: list, preview, close, each member's statement."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from core.errors import DomainError
from core.forms import message_domain_error, run_service
from ledger.documents import render_all_statements
from ledger.models import LedgerTransaction, Period
from ledger.periods import Span
from ledger.selectors.balances import balances
from ledger.selectors.settings import ledger_settings
from ledger.selectors.statements import statement_context
from ledger.selectors.transactions import is_closed, recent_periods
from ledger.services import next_period_to_close
from ledger.services.closing import close_periods_through
from ledger.services.sharing import expense_sharing_plan
from ledger.views.common import today_for
from ledger.views.member import pdf_response, statement_pdf_response
from members.access import AssociationRequest, admin_required, get_member_for_admin
from members.models import Association


@require_safe
@admin_required
def periods(request: AssociationRequest, slug: str) -> HttpResponse:
    """The periods since the first posting, the closed ones and the one to close next."""
    association = request.association
    closed = {p.key: p for p in Period.objects.filter(association=association)}
    spans = recent_periods(association, count=36)
    rows = [(span, closed.get(span.key)) for span in spans]
    next_span = next_period_to_close(association)
    context = {
        "rows": rows,
        "next_span": next_span,
        "close_target": _close_target(spans, closed, next_span, today_for(request)),
        "settings": ledger_settings(association),
    }
    return render(request, "ledger/periods.html", context)


def _close_target(
    spans: list[Span], closed: dict[str, Period], next_span: Span | None, today: dt.date
) -> Span | None:
    """The latest period that is over and still open, when something can be closed."""
    if next_span is None:
        return None
    over = [s for s in spans if s.ends_on < today and s.key not in closed]
    target = max(over, key=lambda s: s.ends_on, default=None)
    return target if target is not None and target.ends_on >= next_span.ends_on else None


def _closable(association: Association, period: Span, today: dt.date) -> bool:
    next_span = next_period_to_close(association)
    return next_span is not None and next_span.ends_on <= period.ends_on < today


@require_safe
@admin_required
def period_detail(request: AssociationRequest, slug: str, period: Span) -> HttpResponse:
    """Preview (or review) a period: expense shares, balances at its end, statements."""
    association = request.association
    closed = is_closed(association, period)
    next_span = next_period_to_close(association)
    context = {
        "span": period,
        "closed": closed,
        "closable": not closed and _closable(association, period, today_for(request)),
        "first_to_close": next_span,
        "plans": [] if closed else expense_sharing_plan(association, period),
        "shares": LedgerTransaction.objects.filter(
            association=association,
            kind=LedgerTransaction.Kind.EXPENSE_SHARE,
            date__range=(period.starts_on, period.ends_on),
        ).select_related("vehicle"),
        "parties": balances(association, as_of=period.ends_on),
    }
    return render(request, "ledger/period_detail.html", context)


@require_POST
@admin_required
def period_close(request: AssociationRequest, slug: str, period: Span) -> HttpResponse:
    """Share the period's expenses and freeze it, with every open period before it."""
    closed: list[Period] = []
    run_service(
        request,
        None,
        lambda: closed.extend(
            close_periods_through(
                association=request.association, key=period.key, actor=request.membership
            )
        ),
        lambda: (
            ngettext(
                "The period %(period)s is closed; its statements are final.",
                "%(count)s periods are closed, through %(period)s; their statements are final.",
                len(closed),
            )
            % {"period": period.key, "count": len(closed)}
        ),
    )
    return redirect("ledger:period", slug=slug, period=period.key)


@require_safe
@admin_required
def member_statement(
    request: AssociationRequest, slug: str, period: Span, member_id: int
) -> HttpResponse:
    """A member's statement of a period, as the admin sees it."""
    membership = get_member_for_admin(request.membership, member_id)
    kwargs = {"slug": slug, "period": period.key, "member_id": member_id}
    context = {
        "statement": statement_context(membership, period),
        "span": period,
        "pdf_url": reverse("ledger:member_statement_pdf", kwargs=kwargs),
    }
    return render(request, "ledger/statement.html", context)


@require_safe
@admin_required
def member_statement_pdf(
    request: AssociationRequest, slug: str, period: Span, member_id: int
) -> HttpResponse:
    """A member's statement of a period as a PDF, for the admins."""
    membership = get_member_for_admin(request.membership, member_id)
    kwargs = {"slug": slug, "period": period.key, "member_id": member_id}
    html_url = reverse("ledger:member_statement", kwargs=kwargs)
    return statement_pdf_response(request, membership, period, html_url)


@require_safe
@admin_required
def period_statements_pdf(request: AssociationRequest, slug: str, period: Span) -> HttpResponse:
    """Every member's statement of the period in one PDF, to print them all at once."""
    html_url = reverse("ledger:period", kwargs={"slug": slug, "period": period.key})
    try:
        document = render_all_statements(request.association, period)
    except DomainError as error:
        message_domain_error(request, error)
        return redirect(html_url)
    if document is None:
        messages.error(request, _("No member is concerned by this period: nothing to print."))
        return redirect(html_url)
    return pdf_response(document, f"releves-{period.key}.pdf")
