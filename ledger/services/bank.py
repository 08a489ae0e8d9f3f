"""Payments from the bank: a statement CSV is read, each line matched to a member, shown
for checking, and recorded as payments when the admin confirms (two submissions in all,
whatever the number of lines).

Matching (`match_line`), for each line, in this order:
1. reference: the label or reference names a member's payment reference (`ADH-<id>`, shown
   on their account page), of this association;
2. name: the member's first and last names are words of the label (else the last name
   alone, when one member only has it);
3. amount: among the members the name left (all of them when it named nobody), the one
   member whose balance is exactly the line's amount (owed for money received, due for
   money paid out).
Money received (positive amount) is a payment from the member to the association's fund;
money paid out (negative) a payment from the fund to the member.

Each line has a fingerprint (association, date, amount, label, reference, and its rank
among identical lines of the file): a line already recorded from an earlier, overlapping
export is shown as such and never posted again; its posting carries the reference
`bank:<fingerprint>`, which the ledger keeps unique.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import ConflictError, DomainError
from ledger.bankcsv import StatementError, StatementLine, normalise, read_statement
from ledger.models import BankImport, BankLine, LedgerTransaction
from ledger.selectors.balances import balances
from ledger.services.accounts import fund_account, member_account
from ledger.services.contributions import record_payment
from ledger.services.posting import first_open_day, lock_ledger
from members.audit import record_audit
from members.models import Association, Membership
from members.permissions import require_admin

REFERENCE = re.compile(r"\bADH[\s\-_/]?0*(\d{1,9})\b", re.IGNORECASE)
Status = BankLine.Status

# The services; the matching functions are reads (and the tests' subject).
__all__ = ["confirm_bank_import", "import_bank_statement"]


def payment_reference(membership: Membership) -> str:
    """What a member writes in their transfer's reference so that it is matched surely."""
    return f"ADH-{membership.pk}"


@dataclass(frozen=True)
class Candidate:
    membership_id: int
    first: frozenset[str]
    last: frozenset[str]
    balance: Decimal  # positive: the association owes them


def _name_words(name: str) -> frozenset[str]:
    """The words of a last name that can tell it apart (one letter ones cannot)."""
    return frozenset(word for word in normalise(name).split() if len(word) > 1)


def candidates(association: Association) -> list[Candidate]:
    """The members a line may be matched to, with their balance (two queries)."""
    balance_of = {
        party.membership_id: party.balance
        for party in balances(association)
        if party.membership_id is not None
    }
    members = Membership.objects.filter(
        association=association, status=Membership.Status.ACTIVE
    ).select_related("user")
    return [
        Candidate(
            membership.pk,
            frozenset(normalise(membership.user.first_name).split()),
            frozenset(
                word for word in normalise(membership.user.last_name).split() if len(word) > 1
            ),
            balance_of.get(membership.pk, Decimal("0.00")),
        )
        for membership in members
    ]


def _expects(candidate: Candidate, amount: Decimal) -> bool:
    """Received: the member owed exactly this (balance -amount); paid out: the association
    owed them exactly this (balance +|amount|). Both read balance == -amount."""
    return candidate.balance == -amount


def match_line(
    label: str, reference: str, amount: Decimal, people: Sequence[Candidate]
) -> tuple[int | None, str]:
    """The member a bank line is from (or to) and why: "reference", "name", "amount", or
    (None, "") when nothing decides (see the module's doc)."""
    by_id = {c.membership_id: c for c in people}
    for found in REFERENCE.finditer(f"{label} {reference}"):
        if int(found.group(1)) in by_id:
            return int(found.group(1)), "reference"
    words = set(normalise(f"{label} {reference}").split())
    full = [c for c in people if c.last and c.last <= words and c.first and c.first <= words]
    by_name = full or [c for c in people if c.last and c.last <= words]
    if len(by_name) == 1:
        return by_name[0].membership_id, "name"
    expecting = [c for c in (by_name or people) if _expects(c, amount)]
    if len(expecting) == 1:
        return expecting[0].membership_id, "amount"
    return None, ""


def fingerprints(association: Association, lines: Sequence[StatementLine]) -> list[str]:
    """One fingerprint per line; identical lines of a file differ by their rank."""
    seen: Counter[tuple[object, ...]] = Counter()
    prints = []
    for line in lines:
        key = (line.date.isoformat(), str(line.amount), normalise(line.label), line.reference)
        seen[key] += 1
        text = "|".join([str(association.pk), *map(str, key), str(seen[key])])
        prints.append(hashlib.sha256(text.encode()).hexdigest()[:40])
    return prints


_FILE_ERRORS = {
    "encoding": _("The file is neither UTF-8 nor Windows-1252 text."),
    "too_large": _("The file is too large (at most %(limit)s KB)."),
    "too_many_lines": _("The file has too many lines (at most %(limit)s)."),
    "no_header": _(
        "No header line was found: the file needs a date column and an amount column "
        "(or a debit and a credit column)."
    ),
}


def import_bank_statement(*, actor: Membership, filename: str, data: bytes) -> BankImport:
    """Read a statement and keep its lines with the member each one matches, for the admin
    to check and confirm. Nothing reaches the ledger yet."""
    association = actor.association
    require_admin(actor, association.pk)
    try:
        statement = read_statement(data)
    except StatementError as error:
        raise DomainError(
            _FILE_ERRORS[error.code] % error.params, code=f"bank_{error.code}", field="file"
        ) from None
    if not statement.lines:
        raise DomainError(
            _("No line of the file could be read as a dated amount."),
            code="bank_empty",
            field="file",
        )
    people = candidates(association)
    prints = fingerprints(association, statement.lines)
    recorded = set(
        BankLine.objects.filter(
            bank_import__association=association, status=Status.POSTED, fingerprint__in=prints
        ).values_list("fingerprint", flat=True)
    )
    with transaction.atomic():
        bank_import = BankImport.objects.create(
            association=association,
            filename=filename[:255],
            encoding=statement.encoding,
            unreadable=[list(error) for error in statement.errors],
            created_by=actor.user,
        )
        rows = []
        for line, fingerprint in zip(statement.lines, prints, strict=True):
            member_id, reason = match_line(line.label, line.reference, line.amount, people)
            rows.append(
                BankLine(
                    bank_import=bank_import,
                    row=line.row,
                    date=line.date,
                    amount=line.amount,
                    label=line.label,
                    reference=line.reference,
                    fingerprint=fingerprint,
                    suggested_id=member_id,
                    reason=reason,
                    status=Status.DUPLICATE if fingerprint in recorded else Status.PENDING,
                )
            )
        BankLine.objects.bulk_create(rows)
        record_audit(
            action="ledger.bank_imported",
            actor=actor.user,
            association=association,
            target=bank_import,
            data={"lines": len(rows), "unreadable": len(statement.errors)},
        )
    return bank_import


def confirm_bank_import(
    *, actor: Membership, bank_import: BankImport, choices: Mapping[int, int | None]
) -> list[LedgerTransaction]:
    """Record the lines the admin kept as payments (`choices`: line id → member id, None to
    leave the line out), all or none. A line dated in a closed period is dated today."""
    association = bank_import.association
    require_admin(actor, association.pk)
    chosen = {member for member in choices.values() if member is not None}
    members = {
        m.pk: m
        for m in Membership.objects.filter(association=association, pk__in=chosen).select_related(
            "association"
        )
    }
    if chosen - set(members):
        raise DomainError(_("A member of another association was chosen."), code="foreign")
    posted: list[LedgerTransaction] = []
    with transaction.atomic():
        locked = BankImport.objects.select_for_update().get(pk=bank_import.pk)
        if locked.status == BankImport.Status.CONFIRMED:
            raise ConflictError(
                _("This statement was confirmed already; its payments are recorded."),
                code="already_confirmed",
            )
        lock_ledger(association)
        lines = list(locked.lines.filter(status=Status.PENDING))
        recorded = set(
            BankLine.objects.filter(
                bank_import__association=association,
                status=Status.POSTED,
                fingerprint__in=[line.fingerprint for line in lines],
            ).values_list("fingerprint", flat=True)
        )
        for line in lines:
            member = members.get(choices.get(line.pk) or 0)
            if line.fingerprint in recorded:
                line.status = Status.DUPLICATE
            elif member is None:
                line.status = Status.IGNORED
            else:
                line.transaction = _post(association, line, member, actor)
                line.membership, line.status = member, Status.POSTED
                posted.append(line.transaction)
            line.save(update_fields=["status", "membership", "transaction"])
        locked.status, locked.confirmed_at = BankImport.Status.CONFIRMED, timezone.now()
        locked.save(update_fields=["status", "confirmed_at"])
        record_audit(
            action="ledger.bank_confirmed",
            actor=actor.user,
            association=association,
            target=locked,
            data={"payments": [txn.pk for txn in posted]},
        )
    return posted


def _post(
    association: Association, line: BankLine, member: Membership, actor: Membership
) -> LedgerTransaction:
    member_side, fund = member_account(member), fund_account(association)
    received = line.amount > 0
    return record_payment(
        payer=member_side if received else fund,
        payee=fund if received else member_side,
        amount=abs(line.amount),
        method=LedgerTransaction.PaymentMethod.TRANSFER,
        paid_on=first_open_day(association, line.date),
        note=line.label or str(_("bank transfer")),
        actor=actor,
        reference=f"bank:{line.fingerprint}",
    )
