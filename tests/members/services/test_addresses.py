"""Postal addresses: the person's own (profile page, API), an admin's from a paper form."""

import pytest
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from core.errors import DomainError, ForbiddenError
from members.models import AuditEntry, User
from members.services.profiles import (
    PostalAddress,
    update_member_address,
    update_postal_address,
)
from tests.factories.members import MembershipFactory

pytestmark = pytest.mark.django_db

VIGNES = PostalAddress("3 rue des  Vignes ", "63000", " Villerouge")


def test_an_address_is_stored_cleaned_and_printed_on_one_line(member):
    member.user.town = "Riom"
    member.user.save(update_fields=["town"])
    user = update_postal_address(user=member.user, address=VIGNES)
    assert (user.street, user.postcode, user.town) == ("3 rue des Vignes", "63000", "Villerouge")
    assert user.postal_address == "3 rue des Vignes, 63000 Villerouge"
    entry = AuditEntry.objects.get(action="user.address_updated")
    assert set(entry.data["fields"]) == {"street", "town"}  # names only, never the values


@pytest.mark.parametrize(
    ("address", "field"),
    [
        (PostalAddress("3 rue des Vignes", "", "Villerouge"), "postcode"),
        (PostalAddress("", "63000", "Villerouge"), "street"),
        (PostalAddress("3 rue des Vignes", "6300", "Villerouge"), "postcode"),
        (PostalAddress("x" * 201, "63000", "Villerouge"), "street"),
    ],
)
def test_an_incomplete_or_wrong_address_is_refused_naming_the_part(member, address, field):
    before = User.objects.get(pk=member.user.pk).postal_address
    with pytest.raises(DomainError) as refused:
        update_postal_address(user=member.user, address=address)
    assert refused.value.extra["field"] == field
    assert User.objects.get(pk=member.user.pk).postal_address == before


def test_all_parts_empty_removes_the_address(member):
    user = update_postal_address(user=member.user, address=PostalAddress())
    assert user.postal_address == ""


def test_an_admin_records_a_members_address_and_a_member_cannot(admin, member, outsider):
    user = update_member_address(actor=admin, membership=member, address=VIGNES)
    assert user.street == "3 rue des Vignes"
    with pytest.raises(ForbiddenError):
        update_member_address(actor=member, membership=admin, address=VIGNES)
    other_admin = MembershipFactory(association=outsider.association, role="admin")
    with pytest.raises(ForbiddenError):
        update_member_address(actor=other_admin, membership=member, address=VIGNES)


def test_the_profile_page_saves_the_address_with_the_name(member_client, member):
    data = {"first_name": "Bruno", "last_name": "Lefèvre", "phone": "", "language": "fr"}
    address = {"street": "3 rue des Vignes", "postcode": "63000", "town": "Villerouge"}
    assert member_client.post(reverse("account:profile"), data | address).status_code == 302
    user = User.objects.get(pk=member.user.pk)
    assert (user.first_name, user.postal_address) == (
        "Bruno",
        "3 rue des Vignes, 63000 Villerouge",
    )


def test_a_refused_address_changes_nothing_on_the_profile_page(member_client, member):
    data = {"first_name": "Autre", "last_name": "Nom", "phone": "", "language": "fr"}
    address = {"street": "3 rue des Vignes", "postcode": "", "town": "Villerouge"}
    response = member_client.post(reverse("account:profile"), data | address)
    assert response.status_code == 400
    assert "postcode" in response.context["form"].errors
    assert User.objects.get(pk=member.user.pk).first_name == member.user.first_name


def test_the_admin_types_the_address_on_the_members_page(admin_client_, member):
    url = reverse("members:address", kwargs={"slug": "testville", "pk": member.pk})
    address = {"street": "3 rue des Vignes", "postcode": "63000", "town": "Villerouge"}
    assert admin_client_.post(url, address).status_code == 302
    assert User.objects.get(pk=member.user.pk).postal_address.startswith("3 rue des Vignes")
    page = admin_client_.get(
        reverse("members:detail", kwargs={"slug": "testville", "pk": member.pk})
    )
    assert "3 rue des Vignes, 63000 Villerouge" in page.content.decode()


def test_api_me_reads_and_patches_the_address(member):
    _instance, key = AuthToken.objects.create(member.user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    address = {"street": "3 rue des Vignes", "postcode": "63000", "town": "Villerouge"}
    response = client.patch("/api/v1/me/", {"address": address}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["address"] == address
    assert client.get("/api/v1/me/").json()["address"] == address


def test_api_me_refuses_an_incomplete_address_with_its_code(member):
    client = APIClient()
    client.force_authenticate(member.user)
    address = {"street": "3 rue des Vignes", "postcode": "", "town": "Villerouge"}
    response = client.patch("/api/v1/me/", {"address": address}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "address_incomplete"
    assert response.json()["field"] == "postcode"
