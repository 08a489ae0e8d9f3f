"""Importing members from a CSV file: a preview lists every row's errors; the import writes
all rows or none, with a number of queries that does not depend on the number of rows."""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import ConflictError, DomainError
from members.audit import record_audit
from members.csv_import import ImportPreview, ImportRow, parse_members_csv
from members.models import Association, DriverProfile, Membership, User
from members.permissions import require_admin
from members.services.bulk import insert_all
from members.services.common import association_today, lock_association

DRIVER_COLUMNS = ("birth_date", "licence_number", "licence_issued_on", "licence_issued_by")


def preview_member_import(*, association: Association, text: str) -> ImportPreview:
    """Parse the file and check it against the association (two queries for any size)."""
    preview = parse_members_csv(text, today=association_today(association))
    emails = [row.email for row in preview.rows if row.email]
    users = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    members = dict(
        Membership.objects.filter(association=association, user__email__in=emails).values_list(
            "user__email", "status"
        )
    )
    for row in preview.rows:
        row.existing_user_id = users.get(row.email)
        if row.email in members:
            row.errors.append(
                gettext("%(email)s is already in the association (%(status)s).")
                % {"email": row.email, "status": Membership.Status(members[row.email]).label}
            )
    return preview


def import_members(*, actor: Membership, text: str) -> int:
    """Create the file's members as active members; nothing is written if any row is wrong.
    People who already have an account keep their own name and driver data."""
    require_admin(actor)
    association = actor.association
    try:
        return _import(actor, association, text)
    except IntegrityError as error:  # someone signed up with one of the addresses meanwhile
        raise ConflictError(
            _("Some of these people joined meanwhile: check the file again."),
            code="import_conflict",
        ) from error


def _import(actor: Membership, association: Association, text: str) -> int:
    with transaction.atomic():
        lock_association(association.pk)
        # Checked again inside the transaction: the file may have been previewed long ago.
        preview = preview_member_import(association=association, text=text)
        if not preview.is_valid:
            raise DomainError(
                _("The file has errors: nothing was imported."),
                code="import_errors",
                errors=preview.error_count,
            )
        today = association_today(association)
        new_rows = [row for row in preview.rows if row.existing_user_id is None]
        insert_all([_new_user(row) for row in new_rows])
        ids = {row.email: row.existing_user_id for row in preview.rows if row.existing_user_id}
        ids.update(
            User.objects.filter(email__in=[row.email for row in new_rows]).values_list(
                "email", "pk"
            )
        )
        insert_all([_email_address(row, ids[row.email]) for row in new_rows])
        insert_all(
            [_driver_profile(row, ids[row.email]) for row in new_rows if _has_driver_data(row)]
        )
        insert_all([_membership(row, ids[row.email], association, today) for row in preview.rows])
        record_audit(
            action="members.imported",
            actor=actor.user,
            association=association,
            data={"rows": len(preview.rows), "new_accounts": len(new_rows)},
        )
    return len(preview.rows)


def _new_user(row: ImportRow) -> User:
    # No password yet: the person sets one with "forgotten password" or an invitation.
    return User(
        email=row.email,
        first_name=row.values["first_name"],
        last_name=row.values["last_name"],
        phone=row.values["phone"],
        password=make_password(None),
    )


def _email_address(row: ImportRow, user_id: int) -> EmailAddress:
    return EmailAddress(user_id=user_id, email=row.email, verified=False, primary=True)


def _has_driver_data(row: ImportRow) -> bool:
    return any(row.values[column] for column in DRIVER_COLUMNS)


def _driver_profile(row: ImportRow, user_id: int) -> DriverProfile:
    return DriverProfile(
        user_id=user_id,
        birth_date=row.dates["birth_date"],
        licence_number=row.values["licence_number"],
        licence_issued_on=row.dates["licence_issued_on"],
        licence_issued_by=row.values["licence_issued_by"],
        accompanied_driving=row.flags["accompanied_driving"],
        post_licence_training=row.flags["post_licence_training"],
    )


def _membership(
    row: ImportRow, user_id: int, association: Association, today: dt.date
) -> Membership:
    return Membership(
        user_id=user_id,
        association=association,
        role=row.role,
        status=Membership.Status.ACTIVE,
        joined_on=row.dates["joined_on"] or today,
    )
