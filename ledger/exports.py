"""CSV exports for the association's bookkeeping.

French spreadsheet conventions: UTF-8 with a byte-order mark, semicolons between fields,
decimal commas, dates as YYYY-MM-DD. Text cells never start a formula (core.csvexport);
amounts are `Amount`s, numbers that keep their minus sign. One line per leg for transactions
(the lines of one transaction sum to zero), one line per party for balances.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.csvexport import Amount, SafeWriter
from ledger.models import Leg
from ledger.periods import Span
from ledger.selectors.balances import balances
from ledger.selectors.presenting import account_name, describe
from ledger.selectors.transactions import transactions_in
from members.exports import ExportFile, csv_file
from members.models import Association, User


def _csv_response(filename: str) -> tuple[HttpResponse, SafeWriter]:
    """A CSV attachment and a writer into it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response, SafeWriter(response)


def transactions_csv(association: Association, span: Span) -> HttpResponse:
    """Every leg of the period's transactions."""
    response, writer = _csv_response(f"transactions-{association.slug}-{span.key}.csv")
    writer.writerow(
        [
            _("date"),
            _("number"),
            _("kind"),
            _("description"),
            _("reference"),
            _("vehicle"),
            _("party"),
            _("e-mail"),
            _("amount"),
            _("reverses"),
        ]
    )
    for txn in transactions_in(association, span.starts_on, span.ends_on).iterator(chunk_size=500):
        line = [
            txn.date.isoformat(),
            txn.pk,
            txn.get_kind_display(),
            describe(txn),
            txn.reference,
            txn.vehicle.name if txn.vehicle else "",
        ]
        for leg in txn.legs.all():
            membership = leg.account.membership
            writer.writerow(
                [
                    *line,
                    account_name(leg.account),
                    membership.user.email if membership else "",
                    Amount(leg.amount),
                    txn.reverses_id or "",
                ]
            )
    return response


def balances_csv(association: Association) -> HttpResponse:
    """Every party's balance today (positive: owed to the party)."""
    response, writer = _csv_response(f"balances-{association.slug}.csv")
    writer.writerow([_("party"), _("e-mail"), _("balance")])
    for party in balances(association):
        writer.writerow([party.name, party.email, Amount(party.balance)])
    return response


def personal_files(user: User) -> Iterable[ExportFile]:
    """ "Export my data": every leg on the person's accounts, in every association (what
    they were charged, advanced and paid)."""
    legs = (
        Leg.objects.filter(account__membership__user=user)
        .select_related("transaction", "account__association")
        .order_by("account__association__slug", "transaction__date", "pk")
    )
    rows = (
        (
            leg.account.association.slug,
            leg.transaction.date,
            leg.transaction.kind,
            leg.transaction.label,
            leg.amount,
        )
        for leg in legs
    )
    yield csv_file("my_entries.csv", ("association", "date", "kind", "label", "amount"), rows)
