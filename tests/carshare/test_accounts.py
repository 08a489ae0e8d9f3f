"""Sign-up with mandatory e-mail verification, log-in, rate limit, password reset."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from members.models import User
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mandatory_verification(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_login_page_speaks_french(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Connexion" in html
    assert 'class="site-header"' in html  # the site's own layout


def test_signup_then_verify_email_then_login(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "nouveau@example.org",
            "password1": "Un-mot-de-passe-long",
            "password2": "Un-mot-de-passe-long",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nouveau@example.org")
    assert user.language == "fr"
    assert not EmailAddress.objects.get(user=user).verified

    # Unverified: logging in sends the person to "check your mailbox", not into the site.
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": "nouveau@example.org", "password": "Un-mot-de-passe-long"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session

    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    confirm_path = link.split("testserver", 1)[-1]
    assert client.post(confirm_path).status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    client.logout()
    response = client.post(
        "/accounts/login/", {"login": "nouveau@example.org", "password": "Un-mot-de-passe-long"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_with_an_invalid_email_changes_nothing(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "pas-une-adresse",
            "password1": "Un-mot-de-passe-long",
            "password2": "Un-mot-de-passe-long",
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 200
    assert "Saisissez une adresse e-mail valide" in response.content.decode()
    assert not User.objects.exists()


def test_failed_logins_are_rate_limited(client, settings):
    """The 5th failure locks the account (LOGIN_FAILURE_LIMIT); tests/security has the rest."""
    UserFactory(email="cible@example.org", password="Le-bon-mot-de-passe")
    too_many = "Trop de tentatives de connexion échouées"
    responses = [
        client.post(
            "/accounts/login/",
            {"login": "cible@example.org", "password": f"faux-{attempt}"},
            HTTP_ACCEPT_LANGUAGE="fr",
        )
        for attempt in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert not any(too_many in r.content.decode() for r in responses[:-1])
    assert responses[-1].status_code == 429
    assert too_many in responses[-1].content.decode()
    assert responses[-1]["Retry-After"] == "900"
    # Even the right password is refused while the limit holds.
    response = client.post(
        "/accounts/login/", {"login": "cible@example.org", "password": "Le-bon-mot-de-passe"}
    )
    assert too_many in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link(client):
    UserFactory(email="oubli@example.org")
    response = client.post("/accounts/password/reset/", {"email": "oubli@example.org"})
    assert response.status_code == 302
    assert "/accounts/password/reset/key/" in mail.outbox[-1].body
