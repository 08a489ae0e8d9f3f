"""Deleting one's account: personal data is anonymised, the rows others refer to stay."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import ConflictError
from members.audit import record_audit
from members.models import DriverProfile, Invitation, Membership, User
from members.privacy import reasons_not_to_delete
from members.services.api_tokens import revoke_api_tokens
from members.services.common import (
    association_today,
    delete_files_after_commit,
    lock_association,
)
from members.services.households import dissolve_lonely_household

Status = Membership.Status


def delete_account(*, user: User) -> None:
    """Anonymise the person (GDPR art. 17): phone and e-mail go, the password stops working,
    the driver profile and its scan are deleted, memberships are marked left and purged (no
    association sees the person any more). Membership rows stay so that the accounts of the
    association remain consistent, and someone who was a member keeps their name there:
    the books are kept ten years (members.privacy). Refused while the person is the last
    admin of an association, or while another app objects (money owed, a trip under way)."""
    reasons = reasons_not_to_delete(user)
    if reasons:
        raise ConflictError(
            _("Your account cannot be deleted yet: %(reasons)s") % {"reasons": " ".join(reasons)},
            code="deletion_refused",
            reasons=reasons,
        )
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        association_ids = Membership.objects.filter(user=locked).values_list(
            "association_id", flat=True
        )
        for association_id in sorted(association_ids):
            lock_association(association_id)
        memberships = list(
            Membership.objects.select_for_update(of=("self",))
            .select_related("association")
            .filter(user=locked)
        )
        _refuse_if_last_admin(memberships)
        for membership in memberships:
            _mark_left(membership)
        _delete_driver_profile(locked)
        _close_invitations(locked)
        EmailAddress.objects.filter(user=locked).delete()
        revoke_api_tokens(user=locked)
        _anonymise(locked, keep_name=any(m.joined_on for m in memberships))
        record_audit(action="user.deleted", actor=None, association=None, target=locked)


def _refuse_if_last_admin(memberships: list[Membership]) -> None:
    for membership in memberships:
        if membership.role != Membership.Role.ADMIN or membership.status != Status.ACTIVE:
            continue
        others = (
            Membership.objects.select_for_update()
            .filter(
                association_id=membership.association_id,
                role=Membership.Role.ADMIN,
                status=Status.ACTIVE,
            )
            .exclude(pk=membership.pk)
        )
        if not list(others.values_list("pk", flat=True)):
            raise ConflictError(
                _(
                    "You are the last administrator of %(association)s: appoint another "
                    "administrator before deleting your account."
                )
                % {"association": membership.association.name},
                code="last_admin",
            )


def _mark_left(membership: Membership) -> None:
    household_id = membership.household_id
    membership.household = None
    fields = ["household"]
    if membership.status in (Status.ACTIVE, Status.SUSPENDED, Status.PENDING):
        today = association_today(membership.association)
        membership.status = Status.LEFT
        membership.left_on = max(today, membership.joined_on) if membership.joined_on else today
        fields += ["status", "left_on"]
    membership.request_message = ""
    membership.refusal_reason = ""
    membership.personal_data_purged_on = association_today(membership.association)
    fields += ["request_message", "refusal_reason", "personal_data_purged_on"]
    membership.save(update_fields=fields)
    dissolve_lonely_household(household_id)


def _delete_driver_profile(user: User) -> None:
    profile = DriverProfile.objects.filter(user=user).first()
    if profile is None:
        return
    scans = [profile.licence_scan.name] if profile.licence_scan.name else []
    profile.delete()
    delete_files_after_commit(DriverProfile._meta.get_field("licence_scan"), scans)


def _close_invitations(user: User) -> None:
    # The address is personal data too; an open invitation to it is withdrawn.
    invitations = Invitation.objects.filter(email__iexact=user.email)
    invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    invitations.update(email=f"deleted-{user.pk}@invalid", prefill={})


def _anonymise(user: User, *, keep_name: bool) -> None:
    user.email = f"deleted-{user.pk}@invalid"
    if not keep_name:  # a former member's name stays in the books (members.privacy)
        user.first_name = ""
        user.last_name = ""
    user.phone = ""
    user.street, user.postcode, user.town = "", "", ""  # no letter goes to a deleted account
    user.iban = ""  # nothing is paid to a deleted account
    user.is_active = False
    user.anonymised_at = timezone.now()
    user.set_unusable_password()
    user.save(
        update_fields=[
            "email",
            "first_name",
            "last_name",
            "phone",
            "street",
            "postcode",
            "town",
            "iban",
            "is_active",
            "anonymised_at",
            "password",
        ]
    )
