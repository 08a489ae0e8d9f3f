import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from members.access import (
    get_association_to_join,
    get_invitation_by_token,
    get_invitation_for_admin,
    get_member_for_admin,
    get_member_for_member,
    get_membership_for_user,
)
from members.tokens import invitation_token
from tests.factories.members import InvitationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_member_of_another_association_is_404_for_an_admin(admin, outsider):
    with pytest.raises(Http404):
        get_member_for_admin(admin, outsider.pk)


def test_a_member_is_403_on_a_membership_of_their_association(member, admin):
    with pytest.raises(PermissionDenied):
        get_member_for_admin(member, admin.pk)


def test_admin_sees_members_in_any_status(admin):
    pending = MembershipFactory(association=admin.association, status="pending")
    assert get_member_for_admin(admin, pending.pk) == pending


def test_members_see_only_active_members_of_their_association(member, admin, outsider):
    assert get_member_for_member(member, admin.pk) == admin
    pending = MembershipFactory(association=member.association, status="pending")
    for pk in (pending.pk, outsider.pk):
        with pytest.raises(Http404):
            get_member_for_member(member, pk)


def test_invitations_of_another_association_are_404(admin, other_association, member):
    theirs = InvitationFactory(association=other_association)
    with pytest.raises(Http404):
        get_invitation_for_admin(admin, theirs.pk)
    mine = InvitationFactory(association=admin.association)
    with pytest.raises(PermissionDenied):
        get_invitation_for_admin(member, mine.pk)


def test_forged_invitation_token_is_404(association):
    invitation = InvitationFactory(association=association)
    assert get_invitation_by_token(invitation_token(invitation)) == invitation
    with pytest.raises(Http404):
        get_invitation_by_token(f"{invitation.pk}")


def test_suspended_members_are_strangers_to_association_pages(member):
    member.status = "suspended"
    member.save()
    with pytest.raises(Http404):
        get_membership_for_user(member.user, member.association.slug)


def test_unknown_association_to_join_is_404(db):
    with pytest.raises(Http404):
        get_association_to_join("nowhere")
