"""Admin pages for settlement periods: list, preview, close, each member's statement."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ledger.models import LedgerTransaction, Period
from ledger.periods import Span
from ledger.selectors.balances import balances
from ledger.selectors.statements import statement_context
from ledger.selectors.transactions import is_closed, recent_periods
from ledger.services import close_period, next_period_to_close
from ledger.services.sharing import expense_sharing_plan
from ledger.views.common import run_service, today_for
from ledger.views.member import statement_pdf_response
from members.access import AssociationRequest, admin_required, get_member_for_admin


@require_safe
@admin_required
def periods(request: AssociationRequest, slug: str) -> HttpResponse:
    """The periods since the first posting, the closed ones and the one to close next."""
    association = request.association
    closed = {p.key: p for p in Period.objects.filter(association=association)}
    rows = [(span, closed.get(span.key)) for span in recent_periods(association, count=36)]
    context = {"rows": rows, "next_span": next_period_to_close(association)}
    return render(request, "ledger/periods.html", context)


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
        "closable": next_span is not None
        and next_span.key == period.key
        and period.ends_on < today_for(request),
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
    """Share the period's expenses and freeze it."""
    run_service(
        request,
        None,
        lambda: close_period(
            association=request.association, key=period.key, actor=request.membership
        ),
        _("The period %(period)s is closed; its statements are final.") % {"period": period.key},
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
