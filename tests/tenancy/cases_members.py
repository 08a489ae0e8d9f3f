"""Members URL patterns: association pages, the person's own pages, invitations, API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from members.models import Invitation, Membership
from members.tokens import invitation_token
from tests.factories.members import DriverProfileFactory, MembershipFactory
from tests.tenancy.registry import Access, Case, slug_only


def _pending(world: Any) -> Membership:
    return MembershipFactory(association=world.association, status=Membership.Status.PENDING)


def _invitation(world: Any) -> Invitation:
    return Invitation.objects.create(
        association=world.association,
        email="invitee@example.org",
        invited_by=world.admin.user,
        expires_at=timezone.now() + dt.timedelta(days=14),
    )


def _member_with_scan(world: Any) -> Membership:
    from django.core.files.base import ContentFile

    profile = DriverProfileFactory(user=world.member.user)
    profile.licence_scan.save("permis.pdf", ContentFile(b"%PDF-1.4 scan"), save=True)
    return world.member


BUILDERS = {
    "pending": _pending,
    "invitation": _invitation,
    "member_with_scan": _member_with_scan,
}


def _member(world: Any) -> dict[str, Any]:
    return {"slug": world.association.slug, "pk": world.member.pk}


def _pending_member(world: Any) -> dict[str, Any]:
    return {"slug": world.association.slug, "pk": world.pending.pk}


def _scan_owner(world: Any) -> dict[str, Any]:
    return {"slug": world.association.slug, "pk": world.member_with_scan.pk}


def _invitation_pk(world: Any) -> dict[str, Any]:
    return {"slug": world.association.slug, "pk": world.invitation.pk}


def _invitation_token(world: Any) -> dict[str, Any]:
    return {"token": invitation_token(world.invitation)}


POST = ("POST",)
GET_POST = ("GET", "POST")

CASES = {
    # Association pages
    "members:home": Case(Access.MEMBER, slug_only),
    # The public page and its contact form: anyone, while the admins keep it open
    "members:about": Case(Access.PUBLIC_PAGE, slug_only, methods=GET_POST),
    "members:household": Case(Access.MEMBER, slug_only, methods=GET_POST),
    "members:household_leave": Case(Access.MEMBER, slug_only, methods=POST),
    "members:settings": Case(Access.ADMIN, slug_only, methods=GET_POST),
    "members:export": Case(Access.ADMIN, slug_only),
    "members:list": Case(Access.ADMIN, slug_only),
    "members:export_csv": Case(Access.ADMIN, slug_only),
    "members:import": Case(Access.ADMIN, slug_only, methods=GET_POST),
    "members:import_confirm": Case(Access.ADMIN, slug_only, methods=POST),
    "members:invite": Case(Access.ADMIN, slug_only, methods=GET_POST),
    "members:invitation_revoke": Case(Access.ADMIN, _invitation_pk, methods=POST),
    "members:detail": Case(Access.ADMIN, _member),
    "members:licence_scan": Case(Access.ADMIN, _scan_owner),
    "members:accept": Case(Access.ADMIN, _pending_member, methods=POST),
    "members:refuse": Case(Access.ADMIN, _pending_member, methods=POST),
    "members:suspend": Case(Access.ADMIN, _member, methods=POST),
    "members:reactivate": Case(Access.ADMIN, _member, methods=POST),
    "members:remove": Case(Access.ADMIN, _member, methods=POST),
    "members:role": Case(Access.ADMIN, _member, methods=POST),
    "members:fee": Case(Access.ADMIN, _member, methods=POST),
    "members:address": Case(Access.ADMIN, _member, methods=POST),
    # The person's own pages (whatever their associations)
    "account:profile": Case(Access.AUTHENTICATED, methods=GET_POST),
    "account:driver_profile": Case(Access.AUTHENTICATED, methods=GET_POST),
    "account:licence_scan": Case(Access.AUTHENTICATED),
    "account:associations": Case(Access.AUTHENTICATED),
    "account:leave": Case(Access.AUTHENTICATED, slug_only),
    "account:export": Case(Access.AUTHENTICATED),
    "account:delete": Case(Access.AUTHENTICATED, methods=GET_POST),
    "account:join_list": Case(Access.AUTHENTICATED),
    "account:found": Case(Access.AUTHENTICATED, methods=GET_POST),
    "account:directory": Case(Access.PUBLIC),
    "account:join": Case(Access.AUTHENTICATED, slug_only, methods=GET_POST),
    # The link of an invitation e-mail: anyone holding it
    "account:invitation": Case(Access.PUBLIC, _invitation_token, methods=GET_POST),
    # API
    "api-associations": Case(Access.AUTHENTICATED, methods=GET_POST, api=True),
    "api-association-members": Case(Access.MEMBER, slug_only, api=True),
    "api-me-driver-profile": Case(Access.AUTHENTICATED, methods=("GET", "PATCH"), api=True),
}
