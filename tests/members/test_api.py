import pytest
from rest_framework.test import APIClient

from members.models import DriverProfile
from tests.factories.members import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_my_associations(member, outsider):
    MembershipFactory(user=member.user, association=outsider.association, status="pending")
    response = _client(member.user).get("/api/v1/associations/")
    assert response.status_code == 200
    [association] = response.json()
    assert association["slug"] == "testville"
    assert association["my_role"] == "member"
    assert association["agreement_required"] is True
    assert association["membership_fee"] == "0.00"


def test_admins_see_everything_about_members(admin, member):
    MembershipFactory(association=admin.association, status="left")
    response = _client(admin.user).get("/api/v1/associations/testville/members/")
    rows = response.json()
    assert len(rows) == 3
    row = next(r for r in rows if r["id"] == member.pk)
    assert row["email"] == member.user.email
    assert row["driver_profile"]["licence_number"] == member.user.driver_profile.licence_number
    assert row["driver_profile"]["is_young"] is False


def test_members_see_only_names_of_active_members(admin, member):
    MembershipFactory(association=admin.association, status="pending")
    response = _client(member.user).get("/api/v1/associations/testville/members/")
    rows = response.json()
    assert {r["id"] for r in rows} == {admin.pk, member.pk}
    assert set(rows[0]) == {"id", "first_name", "last_name"}


def test_another_association_is_404(outsider, association):
    response = _client(outsider.user).get("/api/v1/associations/testville/members/")
    assert response.status_code == 404


def test_my_driver_profile_get_and_patch():
    user = UserFactory()
    client = _client(user)
    empty = client.get("/api/v1/me/driver-profile/").json()
    assert empty["birth_date"] is None and empty["probation_end"] is None
    response = client.patch(
        "/api/v1/me/driver-profile/",
        {
            "birth_date": "2001-02-03",
            "licence_issued_on": "2020-06-01",
            "accompanied_driving": True,
        },
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["probation_end"] == "2022-06-01"
    profile = DriverProfile.objects.get(user=user)
    assert profile.accompanied_driving
    patched = client.patch("/api/v1/me/driver-profile/", {"licence_number": "X1"}, format="json")
    assert patched.json()["birth_date"] == "2001-02-03"  # untouched fields stay


def test_impossible_dates_get_a_stable_error_body_in_french():
    client = _client(UserFactory())
    response = client.patch(
        "/api/v1/me/driver-profile/",
        {"birth_date": "2001-02-03", "licence_issued_on": "2005-01-01"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_date",
        "detail": "Le permis ne peut pas avoir été délivré avant l’âge de 14 ans.",
        "field": "licence_issued_on",
    }
    bad = client.patch("/api/v1/me/driver-profile/", {"birth_date": "2001-02-30"}, format="json")
    assert bad.status_code == 400
    assert "birth_date" in bad.json()


def test_the_schema_documents_the_members_endpoints(client):
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/associations/",
        "/api/v1/associations/{slug}/members/",
        "/api/v1/me/driver-profile/",
    ):
        assert path in schema
