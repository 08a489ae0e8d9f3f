"""Who acts, and what they may do: the permission checks every service makes itself.

Association-scoped services take `actor: Membership` and call these first, so that a page,
the API, a command and a task cannot disagree. Each refusal is a `ForbiddenError` (403)
with ONE stable code:

- `not_active_member`: the actor's membership is not active (suspended, left, pending);
- `foreign`: the actor, or an object given, belongs to another association;
- `forbidden`: the actor's role does not allow this (only an administrator, or only the
  vehicle's owners and the administrators…: the sentence says who may). It is the code the
  bookings API has always answered; `not_admin` and vehicles' `not_association_admin` and
  `not_vehicle_manager` were the same refusal under other names.

The platform acting by itself (a nightly scan, a command run by an operator, the demo seed)
has no membership: it passes a `SystemActor` of the association, and only to the services
typed `actor: Actor`, those the platform is meant to call. It is an admin of that
association and of no other; audit entries record no person for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext_lazy as _

from core.errors import ForbiddenError
from members.models import Association, Membership

NOT_ACTIVE_MEMBER = "not_active_member"
FOREIGN = "foreign"
FORBIDDEN = "forbidden"


@dataclass(frozen=True)
class SystemActor:
    """The platform itself acting for one association; `job` says which job (kept in logs)."""

    association: Association
    job: str

    @property
    def association_id(self) -> int:
        return self.association.pk

    @property
    def user(self) -> None:
        """No person: audit entries of the platform have no actor."""
        return None

    @property
    def pk(self) -> None:
        return None

    @property
    def is_admin(self) -> Literal[True]:
        return True

    @property
    def is_active(self) -> Literal[True]:
        return True


# Services that the platform calls as well as people take `actor: Actor`.
Actor = Membership | SystemActor


def require_active(actor: Actor) -> None:
    """403 `not_active_member` unless the actor's membership is active."""
    if not actor.is_active:
        raise ForbiddenError(
            _("Only active members of the association may do this."), code=NOT_ACTIVE_MEMBER
        )


def require_member(actor: Actor, association_id: int) -> None:
    """403 unless the actor is an active member of the association `association_id`."""
    require_active(actor)
    if actor.association_id != association_id:
        raise ForbiddenError(_("This belongs to another association."), code=FOREIGN)


def require_admin(actor: Actor, association_id: int | None = None) -> None:
    """403 `forbidden` unless the actor administers the association `association_id` (by
    default their own: services that act on the actor's association)."""
    require_member(actor, actor.association_id if association_id is None else association_id)
    if not actor.is_admin:
        raise ForbiddenError(
            _("Only an administrator of the association may do this."), code=FORBIDDEN
        )


def require_same_association(association_id: int, *association_ids: int) -> None:
    """403 `foreign` unless every object given (by its association id) is of the association."""
    if any(other != association_id for other in association_ids):
        raise ForbiddenError(_("This belongs to another association."), code=FOREIGN)
