import datetime as dt

import pytest
import time_machine
from django.utils import translation

from core.errors import ConflictError, DomainError, ForbiddenError
from members.models import AuditEntry, Household, Membership
from members.services import memberships as services
from tests.factories.members import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Membership.Status


def _fresh(membership):
    return Membership.objects.get(pk=membership.pk)


def _snapshot(membership):
    fresh = _fresh(membership)
    return (fresh.role, fresh.status, fresh.left_on)


# --- the last admin ----------------------------------------------------------------------


def test_the_last_admin_cannot_leave_french_message_and_nothing_changes(admin, member):
    before = _snapshot(admin)
    with translation.override("fr"), pytest.raises(ConflictError) as refused:
        services.leave_association(actor=admin)
    assert refused.value.code == "last_admin"
    assert str(refused.value.message) == (
        f"{admin.user.display_name} est le dernier administrateur de Autopartage de Testville : "
        "nommez d’abord un autre administrateur."
    )
    assert _snapshot(admin) == before
    assert not AuditEntry.objects.exists()


def test_an_admin_may_leave_once_another_admin_exists(admin, member):
    services.change_role(actor=admin, membership=member, role=Membership.Role.ADMIN)
    services.leave_association(actor=admin)
    assert _fresh(admin).status == Status.LEFT


def test_demoting_the_last_admin_is_refused(admin):
    with pytest.raises(ConflictError) as refused:
        services.change_role(actor=admin, membership=admin, role=Membership.Role.MEMBER)
    assert refused.value.code == "last_admin"
    assert _fresh(admin).role == Membership.Role.ADMIN


def test_suspending_the_last_admin_is_refused(admin, member):
    services.change_role(actor=admin, membership=member, role=Membership.Role.ADMIN)
    services.change_role(actor=_fresh(member), membership=admin, role=Membership.Role.MEMBER)
    # Now `member` is the only admin; `admin` (demoted) cannot act any more:
    with pytest.raises(ForbiddenError):
        services.suspend_member(actor=_fresh(admin), membership=member)
    assert _fresh(member).status == Status.ACTIVE


def test_an_admin_can_step_down_when_another_admin_remains(admin):
    second = MembershipFactory(association=admin.association, role=Membership.Role.ADMIN)
    services.change_role(actor=second, membership=admin, role=Membership.Role.MEMBER)
    assert _fresh(admin).role == Membership.Role.MEMBER
    entry = AuditEntry.objects.get(action="membership.role_changed")
    assert entry.data == {"from": "admin", "to": "member"}
    assert entry.actor == second.user


def test_a_suspended_admin_does_not_count_as_remaining_admin(admin):
    MembershipFactory(association=admin.association, role="admin", status=Status.SUSPENDED)
    with pytest.raises(ConflictError):
        services.leave_association(actor=admin)


# --- join requests ---------------------------------------------------------------------------


def test_request_to_join_creates_a_pending_membership(association):
    user = UserFactory()
    membership = services.request_to_join(
        user=user, association=association, message="  J'habite rue du Lavoir.  "
    )
    assert membership.status == Status.PENDING
    assert membership.request_message == "J'habite rue du Lavoir."


def test_a_member_cannot_ask_again(member):
    with pytest.raises(ConflictError) as refused:
        services.request_to_join(user=member.user, association=member.association, message="")
    assert refused.value.code == "already_member"


def test_a_refused_person_may_ask_again_and_the_row_is_reused(admin):
    pending = MembershipFactory(association=admin.association, status=Status.PENDING)
    services.refuse_join_request(actor=admin, membership=pending, reason="Hors commune")
    again = services.request_to_join(user=pending.user, association=admin.association, message="")
    assert again.pk == pending.pk
    assert again.status == Status.PENDING
    assert again.refusal_reason == ""


@time_machine.travel(dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC))
def test_accepting_a_request_starts_the_membership_on_the_local_day(admin):
    pending = MembershipFactory(
        association=admin.association, status=Status.PENDING, joined_on=None
    )
    accepted = services.accept_join_request(actor=admin, membership=pending)
    assert accepted.status == Status.ACTIVE
    assert accepted.joined_on == dt.date(2027, 1, 1)  # 00:30 in Paris


def test_refusing_needs_a_reason(admin):
    pending = MembershipFactory(association=admin.association, status=Status.PENDING)
    with pytest.raises(DomainError) as refused:
        services.refuse_join_request(actor=admin, membership=pending, reason="  ")
    assert refused.value.code == "reason_required"
    assert _fresh(pending).status == Status.PENDING


def test_only_pending_requests_can_be_accepted(admin, member):
    with pytest.raises(ConflictError) as refused:
        services.accept_join_request(actor=admin, membership=member)
    assert refused.value.code == "invalid_status"


# --- suspension, removal, leaving -----------------------------------------------------------


def test_suspend_then_reactivate(admin, member):
    services.suspend_member(actor=admin, membership=member)
    assert _fresh(member).status == Status.SUSPENDED
    services.reactivate_member(actor=admin, membership=_fresh(member))
    assert _fresh(member).status == Status.ACTIVE
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "membership.suspended",
        "membership.reactivated",
    ]


def test_an_admin_cannot_remove_themselves(admin):
    MembershipFactory(association=admin.association, role="admin")
    with pytest.raises(DomainError) as refused:
        services.remove_member(actor=admin, membership=admin)
    assert refused.value.code == "self_action"


@time_machine.travel(dt.datetime(2026, 6, 10, 12, tzinfo=dt.UTC))
def test_removal_keeps_the_row_marked_left_and_ends_a_two_person_household(admin, member):
    household = Household.objects.create(association=admin.association, label="Roux")
    partner = MembershipFactory(association=admin.association, household=household)
    Membership.objects.filter(pk=member.pk).update(household=household)
    services.remove_member(actor=admin, membership=_fresh(member))
    removed = _fresh(member)
    assert (removed.status, removed.left_on, removed.household) == (
        Status.LEFT,
        dt.date(2026, 6, 10),
        None,
    )
    assert _fresh(partner).household is None
    assert not Household.objects.exists()


def test_an_admin_of_another_association_cannot_act(admin, outsider):
    outsider_admin = MembershipFactory(association=outsider.association, role="admin")
    with pytest.raises(ForbiddenError):
        services.suspend_member(actor=outsider_admin, membership=admin)
    with pytest.raises(ForbiddenError):
        services.change_role(actor=outsider_admin, membership=admin, role="member")


def test_a_member_leaves(member):
    services.leave_association(actor=member)
    assert _fresh(member).status == Status.LEFT


def test_fee_paid_until_is_recorded(admin, member):
    services.set_fee_paid_until(actor=admin, membership=member, paid_until=dt.date(2027, 9, 1))
    assert _fresh(member).fee_paid_until == dt.date(2027, 9, 1)
