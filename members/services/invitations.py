"""Invitations by e-mail: an admin invites, the invitee accepts through a signed link."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.errors import ConflictError, DomainError, ForbiddenError
from core.notices import Message, link, queue_notifications
from members.audit import record_audit
from members.models import Association, DriverProfile, Invitation, Membership, User
from members.notifications import INVITATION
from members.permissions import require_admin
from members.services.bulk import insert_all
from members.services.common import (
    association_today,
    lock_association,
    reopen,
)
from members.tokens import invitation_token

INVITATION_VALIDITY = dt.timedelta(days=14)

# The services; invite_many is the import's helper, refuse_current_member a form's check.
__all__ = [
    "accept_invitation",
    "accept_invitation_with_new_account",
    "invite_member",
    "invite_to_association",
    "revoke_invitation",
]

# The part of an invitation's prefill that goes into the new account's driver profile.
PREFILLED_DRIVER_FIELDS = (
    "birth_date",
    "birth_place",
    "licence_number",
    "licence_issued_on",
    "licence_issued_by",
    "accompanied_driving",
    "post_licence_training",
)

Status = Membership.Status


@dataclass(frozen=True)
class NewInvitation:
    """One invitation of a batch (a members import) with what the association typed."""

    email: str
    role: str
    prefill: dict[str, Any] = field(default_factory=dict)


def invite_member(*, actor: Membership, email: str, role: str) -> Invitation:
    """Invite an address; an open invitation to it is renewed and sent again (through the
    outbox: once per sending, after commit)."""
    require_admin(actor)
    return invite_to_association(
        association=actor.association, email=email, role=role, invited_by=actor.user
    )


def invite_to_association(
    *, association: Association, email: str, role: str, invited_by: User
) -> Invitation:
    """The invitation itself, for callers who checked who may invite: an admin of the
    association (invite_member) or a platform operator naming a new association's first
    admin (the Django admin). Joining still takes the invitee's own yes."""
    email = email.strip().lower()
    if role not in Membership.Role.values:
        raise DomainError(_("Unknown role."), code="unknown_role", field="role")
    now = timezone.now()
    with transaction.atomic():
        refuse_current_member(association, email)
        invitation = (
            Invitation.objects.select_for_update()
            .filter(association=association, email=email)
            .filter(accepted_at__isnull=True, revoked_at__isnull=True)
            .first()
        ) or Invitation(association=association, email=email)
        renewed = invitation.pk is not None
        invitation.role = role
        invitation.invited_by = invited_by
        invitation.created_at = now
        invitation.expires_at = now + INVITATION_VALIDITY
        invitation.save()
        record_audit(
            action="invitation.renewed" if renewed else "invitation.sent",
            actor=invited_by,
            association=association,
            target=invitation,
            data={"role": role},
        )
        queue_notifications([invitation_message(invitation)])
    return invitation


def invite_many(
    *, association: Association, invited_by: User, invitations: list[NewInvitation]
) -> list[int]:
    """Open one invitation per address in a fixed number of queries (inside the caller's
    transaction); an open invitation to one of the addresses is replaced. The e-mails go
    through the outbox (sent after commit). The caller checks that none of them is a
    current member."""
    now = timezone.now()
    emails = [invitation.email for invitation in invitations]
    pending = Invitation.objects.filter(
        association=association, email__in=emails, accepted_at__isnull=True, revoked_at__isnull=True
    )
    pending.update(revoked_at=now, prefill={})
    insert_all(
        [
            Invitation(
                association=association,
                email=invitation.email,
                role=invitation.role,
                prefill=invitation.prefill,
                invited_by=invited_by,
                created_at=now,
                expires_at=now + INVITATION_VALIDITY,
            )
            for invitation in invitations
        ]
    )
    opened = list(pending.select_related("association", "invited_by"))  # the old ones are withdrawn
    languages = _languages_of([invitation.email for invitation in opened])
    queue_notifications(
        [invitation_message(invitation, languages[invitation.email]) for invitation in opened]
    )
    return [invitation.pk for invitation in opened]


def invitation_message(invitation: Invitation, language: str | None = None) -> Message:
    """The e-mail of an invitation, to its address (the invitee may have no account), in the
    language of the account that holds the address if there is one (`language`, when the
    caller looked it up), else French. A renewal is a new sending: the key names the
    invitation and the moment it was (re)sent."""
    association = invitation.association
    sent = invitation.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    context = {
        "inviter": invitation.invited_by.display_name if invitation.invited_by else "",
        "is_admin": invitation.role == Membership.Role.ADMIN,
        "prefilled": bool(invitation.prefill),
        "expires": timezone.localtime(invitation.expires_at, association.tz).date(),
    }
    return Message(
        None,
        INVITATION,
        f"invitation:{invitation.pk}:{sent}",
        association,
        context,
        link("account:invitation", token=invitation_token(invitation)),
        email=invitation.email,
        language=language or _languages_of([invitation.email])[invitation.email],
    )


def _languages_of(emails: list[str]) -> dict[str, str]:
    """The language of each address (that of the account holding it, else French)."""
    found: dict[str, str] = {}
    if emails:
        lowered = [email.lower() for email in emails]
        accounts = (
            User.objects.annotate(address=Lower("email"))
            .filter(address__in=lowered)
            .values_list("address", "language")
        )
        found = {email.lower(): language for email, language in accounts}
    return {email: found.get(email.lower(), User.Language.FRENCH) for email in emails}


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
        locked.prefill = {}
        locked.save(update_fields=["revoked_at", "prefill"])
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
        user.phone = str(locked.prefill.get("phone", ""))[:30]
        # The postal address of the import (checked then: all three parts or none).
        for name in ("street", "postcode", "town"):
            setattr(user, name, str(locked.prefill.get(name, "")))
        _check_password(password, user)
        user.set_password(password)
        user.save()
        _prefilled_driver_profile(locked, user)
        return _join(locked, user)


def _prefilled_driver_profile(invitation: Invitation, user: User) -> None:
    # The association typed these from its own records (a members import, validated then);
    # the person sees and corrects them on their driver profile.
    prefill = invitation.prefill
    values = {name: prefill[name] for name in PREFILLED_DRIVER_FIELDS if name in prefill}
    if not values:
        return
    for name in ("birth_date", "licence_issued_on"):
        if name in values:
            values[name] = dt.date.fromisoformat(values[name])
    DriverProfile.objects.create(user=user, **values)


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
    membership.joined_on = _joined_on(invitation)
    membership.left_on = None
    reopen(membership)
    membership.save()
    invitation.accepted_at = timezone.now()
    invitation.prefill = {}  # used, or not to be used: an existing account keeps its own data
    invitation.save(update_fields=["accepted_at", "prefill"])
    _mark_address_verified(user)
    record_audit(
        action="invitation.accepted", actor=user, association=association, target=membership
    )
    return membership


def _joined_on(invitation: Invitation) -> dt.date:
    """Today, or the membership date of the association's records (a members import)."""
    today = association_today(invitation.association)
    recorded = invitation.prefill.get("joined_on")
    return min(dt.date.fromisoformat(recorded), today) if recorded else today


def _mark_address_verified(user: User) -> None:
    # The invitation link reached this mailbox: the address is proven.
    updated = EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
    if not updated:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


def refuse_current_member(association: Association, email: str) -> None:
    """Refuse to invite someone who is a member already or has asked to join."""
    status = (
        Membership.objects.filter(association=association, user__email__iexact=email)
        .values_list("status", flat=True)
        .first()
    )
    if status in (Status.ACTIVE, Status.SUSPENDED):
        raise ConflictError(
            _("%(email)s is already a member of %(association)s.")
            % {"email": email, "association": association.name},
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
