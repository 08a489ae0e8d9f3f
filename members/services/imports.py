"""Importing members from a CSV file: a preview lists every row's errors; the import invites
every row or none, with a number of queries that does not depend on the number of rows.

Nobody joins an association without saying yes: each row becomes an invitation, whether its
address has an account or not (the preview does not even look, so it cannot tell). What the
file holds about a person fills in the account created when they accept, never an existing
account. Imports never appoint administrators (see `_member_role`).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import ConflictError, DomainError
from members.audit import record_audit
from members.csv_import import ImportPreview, ImportRow, parse_members_csv
from members.models import Association, Membership
from members.permissions import require_admin
from members.services.common import association_today, lock_association
from members.services.invitations import NewInvitation, invite_many

Status = Membership.Status

# Copied from the file into the invitation, for an account created by accepting it.
PREFILLED_TEXT = (
    *("first_name", "last_name", "phone", "licence_number", "licence_issued_by"),
    *("birth_place", "street", "postcode", "town"),
)
PREFILLED_DATES = ("birth_date", "licence_issued_on", "joined_on")
PREFILLED_FLAGS = ("accompanied_driving", "post_licence_training")


def preview_member_import(*, actor: Membership, text: str) -> ImportPreview:
    """An admin has the file parsed and checked against the association's own members (one
    query for any size). Whether an address has an account is not looked up."""
    require_admin(actor)
    return _preview(actor.association, text)


def _preview(association: Association, text: str) -> ImportPreview:
    preview = parse_members_csv(text, today=association_today(association))
    emails = [row.email for row in preview.rows if row.email]
    current = dict(
        Membership.objects.filter(
            association=association,
            user__email__in=emails,
            status__in=[Status.ACTIVE, Status.SUSPENDED, Status.PENDING],
        ).values_list("user__email", "status")
    )
    for row in preview.rows:
        if row.email in current:
            row.errors.append(
                gettext("%(email)s is already in the association (%(status)s).")
                % {"email": row.email, "status": Status(current[row.email]).label}
            )
        _member_role(row)
    return preview


def _member_role(row: ImportRow) -> None:
    # Admins see every member's licence data: that role is given to one person at a time,
    # on purpose (the invitation form, the member's page), never by a spreadsheet column
    # that may be stale or shifted (members.csv, re-imported, has a role column).
    if row.role == Membership.Role.ADMIN:
        row.role = Membership.Role.MEMBER
        row.notes.append(
            gettext(
                "Invited as a member: appoint administrators one by one, from their page "
                "once they have joined."
            )
        )


def import_members(*, actor: Membership, text: str) -> int:
    """Invite every row of the file (after commit, by e-mail); nothing is written if any
    row is wrong. An open invitation to the same address is replaced."""
    require_admin(actor)
    try:
        return _import(actor, actor.association, text)
    except IntegrityError as error:  # the same address invited meanwhile by another admin
        raise ConflictError(
            _("Some of these people were invited meanwhile: check the file again."),
            code="import_conflict",
        ) from error


def _import(actor: Membership, association: Association, text: str) -> int:
    with transaction.atomic():
        lock_association(association.pk)
        # Checked again inside the transaction: the file may have been previewed long ago.
        preview = _preview(association, text)
        if not preview.is_valid:
            raise DomainError(
                _("The file has errors: nothing was imported."),
                code="import_errors",
                errors=preview.error_count,
            )
        invite_many(
            association=association,
            invited_by=actor.user,
            invitations=[
                NewInvitation(row.email, Membership.Role.MEMBER, _prefill(row))
                for row in preview.rows
            ],
        )
        record_audit(
            action="members.imported",
            actor=actor.user,
            association=association,
            data={"rows": len(preview.rows), "invitations": len(preview.rows)},
        )
    return len(preview.rows)


def _prefill(row: ImportRow) -> dict[str, Any]:
    values: dict[str, Any] = {name: row.values[name] for name in PREFILLED_TEXT}
    values |= {name: _iso(row, name) for name in PREFILLED_DATES}
    values |= {name: row.flags[name] for name in PREFILLED_FLAGS}
    return {name: value for name, value in values.items() if value}


def _iso(row: ImportRow, name: str) -> str | None:
    day = row.dates[name]
    return day.isoformat() if day else None
