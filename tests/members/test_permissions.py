"""The shared permission checks of services (members.permissions) and the system actor."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from core.errors import ForbiddenError
from members.models import Membership
from members.permissions import (
    SystemActor,
    require_active,
    require_admin,
    require_member,
    require_same_association,
)
from tests.factories.members import MembershipFactory


def _refusal(check, *args) -> ForbiddenError:
    with pytest.raises(ForbiddenError) as refused:
        check(*args)
    assert refused.value.http_status == 403
    return refused.value


def test_an_active_admin_passes_every_check(admin, association):
    require_active(admin)
    require_member(admin, association.pk)
    require_admin(admin)
    require_admin(admin, association.pk)


def test_a_member_is_refused_with_forbidden(member, association):
    require_member(member, association.pk)
    assert _refusal(require_admin, member).code == "forbidden"
    assert _refusal(require_admin, member, association.pk).code == "forbidden"


def test_an_admin_of_another_association_is_foreign(admin, other_association):
    assert _refusal(require_admin, admin, other_association.pk).code == "foreign"
    assert _refusal(require_member, admin, other_association.pk).code == "foreign"


@pytest.mark.parametrize("status", [Membership.Status.SUSPENDED, Membership.Status.LEFT])
def test_a_membership_that_is_not_active_is_refused_first(association, status):
    suspended_admin = MembershipFactory(
        association=association, role=Membership.Role.ADMIN, status=status
    )
    assert _refusal(require_active, suspended_admin).code == "not_active_member"
    assert _refusal(require_admin, suspended_admin).code == "not_active_member"


def test_objects_of_another_association_are_foreign(association, other_association):
    require_same_association(association.pk, association.pk, association.pk)
    refusal = _refusal(require_same_association, association.pk, other_association.pk)
    assert refusal.code == "foreign"


def test_a_refusal_is_also_a_django_permission_denied(member):
    """Access functions and services raise one kind of 403."""
    with pytest.raises(PermissionDenied):
        require_admin(member)


def test_the_system_actor_administers_its_association_only(association, other_association):
    system = SystemActor(association, "outdated_agreements")
    require_admin(system)
    require_member(system, association.pk)
    assert system.user is None and system.pk is None
    assert _refusal(require_admin, system, other_association.pk).code == "foreign"
