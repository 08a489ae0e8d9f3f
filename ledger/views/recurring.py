"""Admin pages: recurring expenses (list, new, edit) and the bookkeeping settings."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from ledger.access import get_recurring_for_admin
from ledger.forms import LedgerSettingsForm, RecurringExpenseForm
from ledger.models import LedgerTransaction, RecurringExpense
from ledger.selectors.recurring import recurring_rows
from ledger.selectors.settings import ledger_settings
from ledger.services.accounts import party_account
from ledger.services.recurring import (
    RecurringTerms,
    create_recurring_expense,
    update_recurring_expense,
)
from ledger.services.settings import update_ledger_settings
from ledger.views.common import form_page, today_for
from members.access import AssociationRequest, admin_required

GET_POST = require_http_methods(["GET", "POST"])


def _list_url(slug: str) -> str:
    return reverse("ledger:recurring", kwargs={"slug": slug})


@require_safe
@admin_required
def recurring_list(request: AssociationRequest, slug: str) -> HttpResponse:
    """The recurring expenses, what each has posted and when it falls due next."""
    rows = recurring_rows(request.association)
    return render(request, "ledger/recurring_list.html", {"rows": rows})


def _terms(request: AssociationRequest, data: dict[str, Any]) -> RecurringTerms:
    return RecurringTerms(
        vehicle=data["vehicle"],
        category=data["category"],
        description=data["description"],
        amount=data["amount"],
        paid_by=party_account(request.association, data["paid_by"]),
        frequency=data["frequency"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
    )


def _saved(posted_count: int) -> str:
    return (
        _("The recurring expense was saved.")
        + " "
        + ngettext(
            "%(count)s occurrence due was posted.",
            "%(count)s occurrences due were posted.",
            posted_count,
        )
        % {"count": posted_count}
    )


@GET_POST
@admin_required
def recurring_new(request: AssociationRequest, slug: str) -> HttpResponse:
    """A new recurring expense; the occurrences already due are posted at once."""
    form = RecurringExpenseForm(
        request.POST or None,
        association=request.association,
        initial={
            "category": LedgerTransaction.Category.INSURANCE,
            "paid_by": "fund",
            "frequency": RecurringExpense.Frequency.MONTHLY,
            "starts_on": today_for(request),
        },
    )
    posted: list[int] = []

    def action(data: dict[str, Any]) -> Any:
        _recurring, done = create_recurring_expense(
            actor=request.membership, terms=_terms(request, data)
        )
        posted.append(len(done))

    return form_page(
        request,
        form=form,
        action=action,
        success=lambda: _saved(posted[0]),
        done_url=_list_url(slug),
        context={"title": _("New recurring expense")},
    )


@GET_POST
@admin_required
def recurring_edit(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    """Change a recurring expense: the next occurrences follow; stop it with a last day."""
    recurring = get_recurring_for_admin(request.membership, pk)
    form = RecurringExpenseForm(
        request.POST or None,
        association=request.association,
        initial=RecurringExpenseForm.initial_for(recurring),
    )
    posted: list[int] = []

    def action(data: dict[str, Any]) -> Any:
        _saved_row, done = update_recurring_expense(
            actor=request.membership, recurring=recurring, terms=_terms(request, data)
        )
        posted.append(len(done))

    return form_page(
        request,
        form=form,
        action=action,
        success=lambda: _saved(posted[0]),
        done_url=_list_url(slug),
        context={
            "title": _("Change the recurring expense"),
            "intro": _(
                "What was already posted stays as it is (correct it from its transaction); "
                "the next occurrences follow the new terms."
            ),
        },
    )


@GET_POST
@admin_required
def settings_page(request: AssociationRequest, slug: str) -> HttpResponse:
    """The association's bookkeeping settings."""
    current = ledger_settings(request.association)
    form = LedgerSettingsForm(
        request.POST or None, initial={"auto_close_days": current.auto_close_days}
    )
    return form_page(
        request,
        form=form,
        action=lambda data: update_ledger_settings(
            actor=request.membership, auto_close_days=data["auto_close_days"]
        ),
        success=_("The settings were saved."),
        done_url=reverse("ledger:settings", kwargs={"slug": slug}),
        context={"title": _("Bookkeeping settings")},
    )
