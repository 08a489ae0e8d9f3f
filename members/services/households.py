"""Tax households declared by members (ADEME criterion 4): car use inside one household is
family use, not car sharing, and later checks tell them apart."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.errors import ConflictError, DomainError
from members.audit import record_audit
from members.models import Household, Membership
from members.services.common import lock_association, lock_membership

# The services; dissolve_lonely_household is a helper of the others.
__all__ = ["declare_shared_household", "leave_household"]


def declare_shared_household(*, actor: Membership, other: Membership) -> Household:
    """The member declares sharing a tax household with another active member."""
    if other.pk == actor.pk or other.association_id != actor.association_id:
        raise DomainError(_("Choose another member of the association."), code="wrong_member")
    with transaction.atomic():
        mine, theirs = _lock_pair(actor, other)
        if not (mine.is_active and theirs.is_active):
            raise ConflictError(
                _("Only active members can declare a household."), code="not_active"
            )
        if None not in (mine.household_id, theirs.household_id) and (
            mine.household_id != theirs.household_id
        ):
            raise ConflictError(
                _("%(name)s already belongs to another household: one of you must leave it first.")
                % {"name": theirs.user.display_name},
                code="other_household",
            )
        # Joining someone's household, or bringing them into mine, or starting one.
        household = (
            mine.household
            or theirs.household
            or Household.objects.create(
                association_id=mine.association_id, label=mine.user.display_name
            )
        )
        for row in (mine, theirs):
            row.household = household
            row.save(update_fields=["household"])
        record_audit(
            action="household.declared",
            actor=mine.user,
            association=mine.association,
            target=household,
            data={"memberships": [mine.pk, theirs.pk]},
        )
    return household


def leave_household(*, actor: Membership) -> None:
    """The member is no longer in their household; a household left with one member ends."""
    with transaction.atomic():
        locked = lock_membership(actor)
        if locked.household_id is None:
            raise ConflictError(_("You have not declared a household."), code="no_household")
        household_id = locked.household_id
        locked.household = None
        locked.save(update_fields=["household"])
        record_audit(
            action="household.left",
            actor=locked.user,
            association=locked.association,
            target=locked,
            data={"household": household_id},
        )
        dissolve_lonely_household(household_id)


def dissolve_lonely_household(household_id: int | None) -> None:
    """Delete a household with fewer than two members (one person is no shared household).
    Called inside the caller's transaction."""
    if household_id is None:
        return
    rest = list(Membership.objects.select_for_update().filter(household_id=household_id))
    if len(rest) >= 2:
        return
    for row in rest:
        row.household = None
        row.save(update_fields=["household"])
    Household.objects.filter(pk=household_id).delete()


def _lock_pair(first: Membership, second: Membership) -> tuple[Membership, Membership]:
    lock_association(first.association_id)
    rows = {
        row.pk: row
        for row in Membership.objects.select_for_update(of=("self",))
        .select_related("user", "association", "household")
        .filter(pk__in=sorted([first.pk, second.pk]))
        .order_by("pk")
    }
    return rows[first.pk], rows[second.pk]
