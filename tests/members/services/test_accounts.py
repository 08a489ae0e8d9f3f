import pytest
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.utils import translation
from knox.models import AuthToken

from core.errors import ConflictError
from members.models import DriverProfile, Household, Invitation, Membership, User
from members.services.accounts import delete_account
from tests.factories.members import InvitationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_deletion_anonymises_and_keeps_the_membership_rows(
    member, other_association, django_capture_on_commit_callbacks
):
    user = member.user
    user.phone = "06 12 34 56 78"
    user.save()
    elsewhere = MembershipFactory(user=user, association=other_association, status="pending")
    profile = DriverProfile.objects.get(user=user)
    profile.licence_scan.save("permis.pdf", ContentFile(b"%PDF-1.4 scan"), save=True)
    storage, scan_name = profile.licence_scan.storage, profile.licence_scan.name
    AuthToken.objects.create(user=user)
    InvitationFactory(association=other_association, email=user.email)

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user=user)

    user = User.objects.get(pk=user.pk)
    assert user.email == f"deleted-{user.pk}@invalid"
    # A member's name stays in the association's books (ten years, docs/PRIVACY.md).
    assert (user.first_name, user.last_name) == (member.user.first_name, member.user.last_name)
    assert user.phone == ""
    assert not user.has_usable_password()
    assert not user.is_active
    assert user.anonymised_at is not None
    assert not DriverProfile.objects.filter(user=user).exists()
    assert not storage.exists(scan_name)
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not AuthToken.objects.filter(user=user).exists()
    statuses = set(Membership.objects.filter(user=user).values_list("status", flat=True))
    assert statuses == {"left"}
    assert Membership.objects.filter(pk__in=[member.pk, elsewhere.pk]).count() == 2
    invitation = Invitation.objects.get()
    assert invitation.email == f"deleted-{user.pk}@invalid"
    assert invitation.revoked_at is not None


def test_someone_who_never_joined_leaves_no_name(other_association):
    applicant = MembershipFactory(association=other_association, status="pending", joined_on=None)
    delete_account(user=applicant.user)
    user = User.objects.get(pk=applicant.user.pk)
    assert (user.first_name, user.last_name) == ("", "")


def test_the_last_admin_cannot_delete_their_account(admin):
    with translation.override("fr"), pytest.raises(ConflictError) as refused:
        delete_account(user=admin.user)
    assert str(refused.value.message) == (
        "Vous êtes le dernier administrateur de Autopartage de Testville : nommez un autre "
        "administrateur avant de supprimer votre compte."
    )
    user = User.objects.get(pk=admin.user.pk)
    assert user.is_active and user.email == admin.user.email
    assert Membership.objects.get(pk=admin.pk).status == "active"
    assert DriverProfile.objects.filter(user=user).exists()


def test_an_admin_with_a_co_admin_may_delete_their_account(admin):
    MembershipFactory(association=admin.association, role="admin")
    delete_account(user=admin.user)
    assert Membership.objects.get(pk=admin.pk).status == "left"


def test_deletion_dissolves_a_household_left_with_one_person(member):
    household = Household.objects.create(association=member.association, label="Roux")
    partner = MembershipFactory(association=member.association, household=household)
    Membership.objects.filter(pk=member.pk).update(household=household)
    delete_account(user=member.user)
    assert not Household.objects.exists()
    assert Membership.objects.get(pk=partner.pk).household is None


def test_deletion_removes_the_postal_address(member):
    User.objects.filter(pk=member.user.pk).update(
        street="3 rue des Vignes", postcode="11200", town="Villerouge"
    )
    member.user.refresh_from_db()
    delete_account(user=member.user)
    member.user.refresh_from_db()
    assert (member.user.street, member.user.postcode, member.user.town) == ("", "", "")
    assert member.user.postal_address == ""
