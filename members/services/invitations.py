"""Invitations by e-mail: an admin invites, the invitee accepts through a signed link."""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.errors import ConflictError, DomainError, ForbiddenError
from members.audit import record_audit
from members.emails import send_invitation_email
from members.models import Invitation, Membership, User
from members.permissions import require_admin
from members.services.common import association_today, lock_association

INVITATION_VALIDITY = dt.timedelta(days=14)

Status = Membership.Status


def invite_member(*, actor: Membership, email: str, role: str) -> Invitation:
    """Invite an address; an open invitation to it is renewed and sent again (after commit)."""
    require_admin(actor)
    email = email.strip().lower()
    if role not in Membership.Role.values:
        raise DomainError(_("Unknown role."), code="unknown_role", field="role")
    association = actor.association
    now = timezone.now()
    with transaction.atomic():
        _refuse_current_member(association.pk, email, association.name)
        invitation = (
            Invitation.objects.select_for_update()
            .filter(association=association, email=email)
            .filter(accepted_at__isnull=True, revoked_at__isnull=True)
            .first()
        ) or Invitation(association=association, email=email)
        renewed = invitation.pk is not None
        invitation.role = role
        invitation.invited_by = actor.user
        invitation.created_at = now
        invitation.expires_at = now + INVITATION_VALIDITY
        invitation.save()
        record_audit(
            action="invitation.renewed" if renewed else "invitation.sent",
            actor=actor.user,
            association=association,
            target=invitation,
            data={"role": role},
        )
        invitation_id = invitation.pk
        transaction.on_commit(lambda: send_invitation_email(invitation_id))
    return invitation


def revoke_invitation(*, actor: Membership, invitation: Invitation) -> Invitation:
    """Withdraw an open invitation: its link stops working."""
    require_admin(actor, invitation.association_id)
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_open:
            raise ConflictError(
                _("This invitation was already used or withdrawn."), code="invitation_closed"
            )
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        record_audit(
            action="invitation.revoked",
            actor=actor.user,
            association=locked.association,
            target=locked,
        )
    return locked


def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    """The invitee, signed in with the invited address, becomes an active member."""
    with transaction.atomic():
        locked = _lock_usable(invitation)
        if user.email.lower() != locked.email:
            raise ForbiddenError(
                _("This invitation was sent to %(email)s. Log in with that address to accept it.")
                % {"email": locked.email},
                code="wrong_account",
            )
        return _join(locked, user)


def accept_invitation_with_new_account(
    *, invitation: Invitation, first_name: str, last_name: str, password: str, language: str
) -> Membership:
    """The invitee has no account: the link proves the address, so it is created verified."""
    with transaction.atomic():
        locked = _lock_usable(invitation)
        if User.objects.filter(email__iexact=locked.email).exists():
            raise ConflictError(
                _("An account already exists for %(email)s: log in to accept the invitation.")
                % {"email": locked.email},
                code="account_exists",
            )
        user = User(
            email=locked.email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            language=language if language in User.Language.values else User.Language.FRENCH,
        )
        _check_password(password, user)
        user.set_password(password)
        user.save()
        return _join(locked, user)


def _lock_usable(invitation: Invitation) -> Invitation:
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("association")
        .get(pk=invitation.pk)
    )
    if locked.revoked_at is not None:
        raise ConflictError(
            _("This invitation was withdrawn by the association."), code="invitation_revoked"
        )
    if locked.accepted_at is not None:
        raise ConflictError(_("This invitation was already used."), code="invitation_used")
    if locked.is_expired(timezone.now()):
        raise ConflictError(
            _("This invitation expired on %(date)s. Ask %(association)s to send you a new one.")
            % {
                "date": formats.date_format(
                    timezone.localtime(locked.expires_at, locked.association.tz), "DATE_FORMAT"
                ),
                "association": locked.association.name,
            },
            code="invitation_expired",
        )
    return locked


def _join(invitation: Invitation, user: User) -> Membership:
    association = invitation.association
    lock_association(association.pk)
    membership = (
        Membership.objects.select_for_update().filter(user=user, association=association).first()
    )
    if membership is not None and membership.status in (Status.ACTIVE, Status.SUSPENDED):
        raise ConflictError(
            _("You are already a member of %(association)s.") % {"association": association.name},
            code="already_member",
        )
    membership = membership or Membership(user=user, association=association)
    membership.role = invitation.role
    membership.status = Status.ACTIVE
    membership.joined_on = association_today(association)
    membership.left_on = None
    membership.refusal_reason = ""
    membership.save()
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    _mark_address_verified(user)
    record_audit(
        action="invitation.accepted", actor=user, association=association, target=membership
    )
    return membership


def _mark_address_verified(user: User) -> None:
    # The invitation link reached this mailbox: the address is proven.
    updated = EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
    if not updated:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


def _refuse_current_member(association_id: int, email: str, association_name: str) -> None:
    status = (
        Membership.objects.filter(association_id=association_id, user__email__iexact=email)
        .values_list("status", flat=True)
        .first()
    )
    if status in (Status.ACTIVE, Status.SUSPENDED):
        raise ConflictError(
            _("%(email)s is already a member of %(association)s.")
            % {"email": email, "association": association_name},
            code="already_member",
            field="email",
        )
    if status == Status.PENDING:
        raise ConflictError(
            _("%(email)s has already asked to join: accept the request in the member list.")
            % {"email": email},
            code="already_requested",
            field="email",
        )


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise DomainError(
            " ".join(error.messages), code="weak_password", field="password1"
        ) from error
