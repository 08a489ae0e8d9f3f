"""Small helpers shared by the members services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.errors import ConflictError
from core.timeutils import local_today
from members.models import Association, Membership

# Helpers of the members services; no service here.
__all__: list[str] = []


def association_today(association: Association) -> dt.date:
    """Today in the association's zone: membership dates are the association's days."""
    return local_today(association.tz)


def lock_association(association_id: int) -> None:
    """Take the association row as the mutex of its memberships. Every membership write
    takes it first, so concurrent changes (two admins demoting each other) queue up in the
    same order instead of deadlocking, and the admin count each one checks is current."""
    list(Association.objects.select_for_update().filter(pk=association_id).values_list("pk"))


def lock_membership(membership: Membership) -> Membership:
    """The membership row (after its association's), locked and freshly read."""
    lock_association(membership.association_id)
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "association")
        .get(pk=membership.pk)
    )


def ensure_not_last_admin(membership: Membership) -> None:
    """Refuse to take away the last active admin of an association (locks its admins)."""
    if membership.role != Membership.Role.ADMIN or membership.status != Membership.Status.ACTIVE:
        return
    others = list(
        Membership.objects.select_for_update()
        .filter(
            association_id=membership.association_id,
            role=Membership.Role.ADMIN,
            status=Membership.Status.ACTIVE,
        )
        .exclude(pk=membership.pk)
        .values_list("pk", flat=True)
    )
    if not others:
        raise ConflictError(
            _(
                "%(name)s is the last administrator of %(association)s: appoint another "
                "administrator first."
            )
            % {
                "name": membership.user.display_name,
                "association": membership.association.name,
            },
            code="last_admin",
        )


def delete_files_after_commit(field: Any, names: list[str]) -> None:
    """Delete stored files of `field` (a FileField) once the rows naming them are gone for
    good; a rollback keeps them."""
    if not names:
        return
    storage = field.storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


def reopen(membership: Membership) -> None:
    """A former member or refused applicant comes back (a new request, an invitation
    accepted): the traces of the old ending go, the retention clock stops."""
    membership.refusal_reason = ""
    membership.refused_on = None
    membership.personal_data_purged_on = None
