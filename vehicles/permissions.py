"""The fleet's permission rule, built on members.permissions: a vehicle is managed by its
owners and the association's admins. Every service that changes a vehicle or its records
calls it, in vehicles and in the apps above (the ledger's maintenance posting)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.errors import ForbiddenError
from members.models import Membership
from members.permissions import FORBIDDEN, Actor, require_member
from vehicles.models import Vehicle
from vehicles.selectors import is_owner


def require_manager(actor: Actor, vehicle: Vehicle) -> None:
    """403 unless the actor owns the vehicle or administers its association
    (`not_active_member`, `foreign`, else `forbidden`)."""
    require_member(actor, vehicle.association_id)
    if actor.is_admin or (isinstance(actor, Membership) and is_owner(actor, vehicle)):
        return
    raise ForbiddenError(
        _("Only the vehicle's owners and the association's admins may change it."),
        code=FORBIDDEN,
    )
