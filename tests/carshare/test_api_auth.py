import pytest
from rest_framework.test import APIClient

from members.models import Membership
from tests.factories.members import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_token_for_good_credentials_authenticates_later_requests():
    user = UserFactory(email="camille@example.org", password="a-good-password")
    api = APIClient()
    response = api.post(
        "/api/v1/auth/token/",
        {"email": "Camille@Example.org", "password": "a-good-password"},
        format="json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) == 64  # django-rest-knox: 256 random bits, stored as a digest

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["email"] == user.email


def test_bad_password_gets_400_in_french():
    UserFactory(email="camille@example.org", password="a-good-password")
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"email": "camille@example.org", "password": "wrong"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Adresse e-mail ou mot de passe incorrect."]}


def test_missing_fields_get_field_errors():
    response = APIClient().post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


def test_token_endpoint_is_rate_limited(settings):
    """Per client address (API_TOKEN_RATE); per account, the lockout is tested in security/."""
    api = APIClient()
    statuses = [
        api.post(
            "/api/v1/auth/token/",
            {"email": f"person{i}@example.org", "password": f"guess-{i}"},
            format="json",
        ).status_code
        for i in range(12)
    ]
    assert statuses[:10] == [400] * 10
    assert statuses[10:] == [429, 429]


def test_me_lists_memberships():
    membership = MembershipFactory(role=Membership.Role.ADMIN)
    api = APIClient()
    api.force_authenticate(membership.user)
    body = api.get("/api/v1/me/").json()
    assert body["memberships"] == [
        {
            "association": membership.association.slug,
            "association_name": membership.association.name,
            "role": "admin",
            "status": "active",
        }
    ]


def test_me_refuses_anonymous_callers():
    response = APIClient().get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
