"""Access functions for contracts: 404 outside the caller's association, 403 for what the
caller may not see or change inside it.

An agreement holds licence data (personal data), so only its driver, the vehicle's owners
and the admins may see it; only admins change it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from contracts.kinds import KINDS, KindSpec
from contracts.models import Agreement
from members.models import Membership
from members.privacy import shown_to_association
from vehicles.selectors import is_owner


def _agreement_of_association(membership: Membership, pk: int) -> Agreement:
    agreement = (
        Agreement.objects.select_related("vehicle", "driver__user", "association")
        .filter(association_id=membership.association_id, pk=pk)
        .first()
    )
    if agreement is None:
        raise Http404
    return agreement


def can_see_agreement(membership: Membership, agreement: Agreement) -> bool:
    return (
        membership.is_admin
        or agreement.driver_id == membership.pk
        or is_owner(membership, agreement.vehicle)
    )


def get_agreement_for_member(membership: Membership, pk: int) -> Agreement:
    """An agreement the member may see (driver, owner, admin); 404 outside, else 403."""
    agreement = _agreement_of_association(membership, pk)
    if not can_see_agreement(membership, agreement):
        raise PermissionDenied
    return agreement


def get_agreement_for_admin(membership: Membership, pk: int) -> Agreement:
    """An agreement of the admin's association; 404 outside, 403 for non-admins."""
    agreement = _agreement_of_association(membership, pk)
    if not membership.is_admin:
        raise PermissionDenied
    return agreement


def get_member_for_documents(membership: Membership, pk: int) -> Membership:
    """A membership whose documents the caller may print: their own, or any for admins but
    those purged after the retention period (members.privacy)."""
    member = (
        Membership.objects.select_related("user", "association")
        .filter(shown_to_association(), association_id=membership.association_id, pk=pk)
        .first()
    )
    if member is None:
        raise Http404
    if not (membership.is_admin or member.pk == membership.pk):
        raise PermissionDenied
    return member


def get_kind(kind: str) -> KindSpec:
    """The document kind named in the URL, or 404."""
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]
