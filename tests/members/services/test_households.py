import pytest

from core.errors import ConflictError, DomainError
from members.models import Household, Membership
from members.selectors import same_household
from members.services.households import declare_shared_household, leave_household
from tests.factories.members import MembershipFactory

pytestmark = pytest.mark.django_db


def _fresh(membership):
    return Membership.objects.get(pk=membership.pk)


def test_declaring_creates_one_household_for_both(member, admin):
    household = declare_shared_household(actor=member, other=admin)
    assert _fresh(member).household == household == _fresh(admin).household
    assert same_household(_fresh(member), _fresh(admin))


def test_a_third_person_joins_the_existing_household(member, admin):
    third = MembershipFactory(association=member.association)
    household = declare_shared_household(actor=member, other=admin)
    assert declare_shared_household(actor=third, other=_fresh(member)) == household
    assert Household.objects.count() == 1
    assert household.memberships.count() == 3


def test_two_different_households_are_not_merged(member, admin):
    third, fourth = MembershipFactory.create_batch(2, association=member.association)
    declare_shared_household(actor=member, other=admin)
    declare_shared_household(actor=third, other=fourth)
    with pytest.raises(ConflictError) as refused:
        declare_shared_household(actor=_fresh(member), other=_fresh(third))
    assert refused.value.code == "other_household"


def test_a_member_of_another_association_cannot_be_declared(member, outsider):
    with pytest.raises(DomainError):
        declare_shared_household(actor=member, other=outsider)
    assert not Household.objects.exists()


def test_leaving_a_two_person_household_ends_it(member, admin):
    declare_shared_household(actor=member, other=admin)
    leave_household(actor=_fresh(member))
    assert not Household.objects.exists()
    assert _fresh(admin).household is None
    assert not same_household(_fresh(member), _fresh(admin))


def test_leaving_without_a_household_is_refused(member):
    with pytest.raises(ConflictError):
        leave_household(actor=member)
