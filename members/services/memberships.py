"""A membership's life: join request, acceptance or refusal, suspension, removal, role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.errors import ConflictError, DomainError, require_status
from core.notices import Message, link, queue_notifications
from core.scanning import utc_stamp
from members.audit import record_audit
from members.models import Association, AuditEntry, Membership, User
from members.notifications import JOIN_REQUESTED
from members.permissions import require_admin
from members.recipients import admins_by_association
from members.services.common import (
    association_today,
    ensure_not_last_admin,
    lock_association,
    lock_membership,
    reopen,
)
from members.services.households import dissolve_lonely_household

Status = Membership.Status

_NOT_PENDING = _("This person has no pending request to join.")


def request_to_join(*, user: User, association: Association, message: str) -> Membership:
    """A resident asks to join; admins see a pending membership (a former one is reused)."""
    with transaction.atomic():
        lock_association(association.pk)
        existing = (
            Membership.objects.select_for_update()
            .filter(user=user, association=association)
            .first()
        )
        if existing is not None and existing.status in (Status.ACTIVE, Status.SUSPENDED):
            raise ConflictError(
                _("You are already a member of %(association)s.")
                % {"association": association.name},
                code="already_member",
            )
        if existing is not None and existing.status == Status.PENDING:
            raise ConflictError(
                _("Your request to join %(association)s is already waiting for an answer.")
                % {"association": association.name},
                code="already_requested",
            )
        if existing is not None:
            _check_join_rate(existing, association)
        membership = existing or Membership(user=user, association=association)
        membership.status = Status.PENDING
        membership.role = Membership.Role.MEMBER
        membership.request_message = message.strip()
        reopen(membership)
        membership.save()
        record_audit(
            action="membership.requested", actor=user, association=association, target=membership
        )
        _tell_the_admins_of_a_request(membership)
    return membership


def _check_join_rate(membership: Membership, association: Association) -> None:
    """At most JOIN_REQUESTS_PER_DAY requests per person and association in 24 hours: each
    one reaches every admin (an essential notice), so asking, withdrawing and asking again
    must not flood them."""
    since = timezone.now() - dt.timedelta(hours=24)
    asked = AuditEntry.objects.filter(
        target_type=membership._meta.label_lower,
        target_id=str(membership.pk),
        action="membership.requested",
        created_at__gte=since,
    ).count()
    if asked >= settings.JOIN_REQUESTS_PER_DAY:
        raise DomainError(
            _(
                "You have asked to join %(association)s several times today: try again "
                "tomorrow, or write to its administrators."
            )
            % {"association": association.name},
            code="rate_limited",
            http_status=429,
        )


def _tell_the_admins_of_a_request(membership: Membership) -> None:
    """The admins hear of each request (a new one after a refusal too: the key has its time)."""
    association = membership.association
    context = {
        "name": association.name,
        "person": membership.user.display_name,
        "message": membership.request_message,
    }
    url = link("members:list", slug=association.slug)
    key = f"membership:{membership.pk}:{utc_stamp(timezone.now())}"
    admins = admins_by_association([association.pk]).get(association.pk, [])
    queue_notifications(
        Message(admin, JOIN_REQUESTED, key, association, context, f"{url}?status=pending")
        for admin in admins
    )


def accept_join_request(*, actor: Membership, membership: Membership) -> Membership:
    """An admin accepts a pending request: the person becomes an active member today."""
    today = association_today(membership.association)
    return _change_status(
        actor=actor,
        membership=membership,
        allowed_from=(Status.PENDING,),
        refusal=_NOT_PENDING,
        status=Status.ACTIVE,
        action="membership.accepted",
        extra={"joined_on": today, "left_on": None},
    )


def refuse_join_request(*, actor: Membership, membership: Membership, reason: str) -> Membership:
    """An admin refuses a pending request, with a reason the person will read."""
    if not reason.strip():
        raise DomainError(
            _("Say why the request is refused: the person will read it."),
            code="reason_required",
            field="reason",
        )
    return _change_status(
        actor=actor,
        membership=membership,
        allowed_from=(Status.PENDING,),
        refusal=_NOT_PENDING,
        status=Status.REFUSED,
        action="membership.refused",
        extra={
            "refusal_reason": reason.strip(),
            "refused_on": association_today(membership.association),
        },
    )


def suspend_member(*, actor: Membership, membership: Membership) -> Membership:
    """An admin suspends an active member: no access until reactivated."""
    _refuse_self(actor, membership)
    return _change_status(
        actor=actor,
        membership=membership,
        allowed_from=(Status.ACTIVE,),
        refusal=_("Only an active member can be suspended."),
        status=Status.SUSPENDED,
        action="membership.suspended",
        protect_last_admin=True,
    )


def reactivate_member(*, actor: Membership, membership: Membership) -> Membership:
    """An admin lifts a suspension."""
    return _change_status(
        actor=actor,
        membership=membership,
        allowed_from=(Status.SUSPENDED,),
        refusal=_("Only a suspended member can be reactivated."),
        status=Status.ACTIVE,
        action="membership.reactivated",
    )


def remove_member(*, actor: Membership, membership: Membership) -> Membership:
    """An admin removes a member; the row stays (with its history), marked as left today."""
    _refuse_self(actor, membership)
    return _change_status(
        actor=actor,
        membership=membership,
        allowed_from=(Status.ACTIVE, Status.SUSPENDED),
        refusal=_("Only a current member can be removed."),
        status=Status.LEFT,
        action="membership.removed",
        extra={"left_on": _left_on(membership), "household": None},
        protect_last_admin=True,
    )


def leave_association(*, actor: Membership) -> Membership:
    """The person leaves (or withdraws a pending request); the last admin cannot."""
    with transaction.atomic():
        locked = lock_membership(actor)
        if locked.status not in (Status.ACTIVE, Status.SUSPENDED, Status.PENDING):
            raise ConflictError(_("You are not a member of this association."), code="not_member")
        ensure_not_last_admin(locked)
        _set_left(locked)
        record_audit(
            action="membership.left",
            actor=locked.user,
            association=locked.association,
            target=locked,
        )
    return locked


def change_role(*, actor: Membership, membership: Membership, role: str) -> Membership:
    """An admin appoints or demotes an administrator; the last admin cannot be demoted."""
    if role not in Membership.Role.values:
        raise DomainError(_("Unknown role."), code="unknown_role", field="role")
    require_admin(actor, membership.association_id)
    with transaction.atomic():
        locked = lock_membership(membership)
        require_status(
            locked, Status.ACTIVE, message=_("Only an active member's role can be changed.")
        )
        if locked.role == role:
            return locked
        if role == Membership.Role.MEMBER:
            ensure_not_last_admin(locked)
        previous, locked.role = locked.role, role
        locked.save(update_fields=["role"])
        record_audit(
            action="membership.role_changed",
            actor=actor.user,
            association=locked.association,
            target=locked,
            data={"from": previous, "to": role},
        )
    return locked


def set_fee_paid_until(
    *, actor: Membership, membership: Membership, paid_until: dt.date | None
) -> Membership:
    """An admin records until when the membership fee is paid."""
    require_admin(actor, membership.association_id)
    with transaction.atomic():
        locked = lock_membership(membership)
        locked.fee_paid_until = paid_until
        locked.save(update_fields=["fee_paid_until"])
        record_audit(
            action="membership.fee_paid_until",
            actor=actor.user,
            association=locked.association,
            target=locked,
            data={"paid_until": paid_until.isoformat() if paid_until else None},
        )
    return locked


def _change_status(
    *,
    actor: Membership,
    membership: Membership,
    allowed_from: Collection[str],
    refusal: str | Promise,
    status: str,
    action: str,
    extra: dict[str, object] | None = None,
    protect_last_admin: bool = False,
) -> Membership:
    require_admin(actor, membership.association_id)
    with transaction.atomic():
        locked = lock_membership(membership)
        require_status(locked, *allowed_from, message=refusal)
        if protect_last_admin:
            ensure_not_last_admin(locked)
        previous, household_id = locked.status, locked.household_id
        locked.status = status
        for field, value in (extra or {}).items():
            setattr(locked, field, value)
        locked.save(update_fields=["status", *(extra or {})])
        if locked.household_id is None:
            dissolve_lonely_household(household_id)
        record_audit(
            action=action,
            actor=actor.user,
            association=locked.association,
            target=locked,
            data={"from": previous},
        )
    return locked


def _left_on(membership: Membership) -> dt.date:
    today = association_today(membership.association)
    # A member imported with a future joining date who leaves at once left on that date.
    return max(today, membership.joined_on) if membership.joined_on else today


def _set_left(membership: Membership) -> None:
    household_id = membership.household_id
    membership.status = Status.LEFT
    membership.left_on = _left_on(membership)
    membership.household = None
    membership.save(update_fields=["status", "left_on", "household"])
    dissolve_lonely_household(household_id)


def _refuse_self(actor: Membership, membership: Membership) -> None:
    if actor.pk == membership.pk:
        raise DomainError(
            _("You cannot do this to your own membership; leave the association instead."),
            code="self_action",
        )
