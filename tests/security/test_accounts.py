"""Accounts and API tokens against a stranger, a password guesser and a leaked token.

One lockout per account across the log-in page, the token endpoint and the Django admin;
tokens hashed, expiring, revoked on logout, password change and password reset, and never
issued to an address nobody has proved to own.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth.forms import SetPasswordForm
from django.core import mail
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from members.models import Membership, User
from tests.factories.members import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Le-bon-mot-de-passe-42"
LIMIT = 5  # failed log-ins before an account is locked out (README, LOGIN_FAILURE_LIMIT)
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def bruno():
    return MembershipFactory(user=UserFactory(email="bruno@example.org", password=PASSWORD))


def ask_token(email, password, **extra):
    return APIClient().post(TOKEN_URL, {"email": email, "password": password}, "json", **extra)


def token_for(email=("bruno@example.org"), password=PASSWORD):
    response = ask_token(email, password)
    assert response.status_code == 200, response.content
    return response.json()["token"]


def api_with(token):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def fail_on_login_page(times, email="bruno@example.org"):
    client = Client()
    for attempt in range(times):
        client.post("/accounts/login/", {"login": email, "password": f"faux-{attempt}"})


def fail_on_token_endpoint(times, email="bruno@example.org"):
    for attempt in range(times):
        ask_token(email, f"faux-{attempt}")


def fail_on_admin(times, email="bruno@example.org"):
    client = Client()
    for attempt in range(times):
        client.post("/django-admin/login/", {"username": email, "password": f"faux-{attempt}"})


# --- Password guessing --------------------------------------------------------------------


def test_token_throttle_counts_the_real_client_address_not_x_forwarded_for():
    """15 guesses against 15 addresses, each claiming another X-Forwarded-For."""
    statuses = [
        ask_token(
            f"someone{i}@example.org", "guess", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}"
        ).status_code
        for i in range(15)
    ]
    assert statuses[:10] == [400] * 10
    assert set(statuses[10:]) == {429}


def test_trusted_proxy_count_takes_the_client_address_from_x_forwarded_for(settings):
    """Behind one proxy: the address the proxy appended counts, whatever the client put
    before it; another client behind the same proxy has its own counter."""
    settings.TRUSTED_PROXY_COUNT = 1
    for i in range(10):
        forwarded = f"203.0.113.{i}, 198.51.100.7"
        ask_token(f"someone{i}@example.org", "guess", HTTP_X_FORWARDED_FOR=forwarded)
    spoofed = "203.0.113.99, 198.51.100.7"
    assert ask_token("x@example.org", "guess", HTTP_X_FORWARDED_FOR=spoofed).status_code == 429
    other = ask_token("x@example.org", "guess", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.status_code == 400


def test_failed_logins_on_the_login_page_lock_the_token_endpoint(bruno):
    fail_on_login_page(LIMIT)
    response = ask_token("bruno@example.org", PASSWORD, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert "token" not in response.json()


def test_failed_token_requests_lock_the_login_page(bruno):
    fail_on_token_endpoint(LIMIT)
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"login": "bruno@example.org", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_guesses_spread_over_the_three_paths_count_for_one_account(bruno):
    fail_on_login_page(2)
    fail_on_token_endpoint(2)
    fail_on_admin(1)
    assert ask_token("bruno@example.org", PASSWORD).status_code == 429


def test_guesses_from_many_addresses_and_in_any_case_lock_the_one_account(bruno, settings):
    """Behind a trusted proxy each guess comes from another real address, and spells the
    e-mail address differently: the lockout counts the account, not the address or case."""
    settings.TRUSTED_PROXY_COUNT = 1
    spellings = [
        "Bruno@Example.org",
        "BRUNO@EXAMPLE.ORG",
        " bruno@example.org",
        "bRuNo@example.org",
    ]
    for attempt, spelling in enumerate([*spellings, "bruno@example.org"][:LIMIT]):
        Client().post(
            "/accounts/login/",
            {"login": spelling, "password": f"faux-{attempt}"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}",
        )
    response = ask_token("Bruno@example.org", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert response.status_code == 429 and response.json()["code"] == "locked_out"


def test_django_admin_login_is_locked_out_like_the_other_paths(bruno):
    bruno.user.is_staff = bruno.user.is_superuser = True
    bruno.user.save(update_fields=["is_staff", "is_superuser"])
    fail_on_admin(LIMIT)
    client = Client()
    response = client.post(
        "/django-admin/login/", {"username": "bruno@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_locked_account_gets_no_session_from_the_email_confirmation_link(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    client = Client()
    client.post(
        "/accounts/signup/",
        {"email": "nouveau@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    fail_on_login_page(LIMIT, email="nouveau@example.org")
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    client.post(link.split("testserver", 1)[-1])
    assert EmailAddress.objects.get(email="nouveau@example.org").verified
    assert "_auth_user_id" not in client.session


def test_the_lockout_ends_after_the_cool_off(bruno):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        fail_on_token_endpoint(LIMIT)
        assert ask_token("bruno@example.org", PASSWORD).status_code == 429
        clock.shift(dt.timedelta(minutes=16))
        assert ask_token("bruno@example.org", PASSWORD).status_code == 200


# --- Tokens -------------------------------------------------------------------------------


def test_api_tokens_are_not_stored_in_clear(bruno):
    token = token_for()
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert token not in dump.getvalue()
    assert token[20:] not in dump.getvalue()


def test_api_tokens_expire(bruno):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        api = api_with(token_for())
        assert api.get("/api/v1/me/").status_code == 200
        clock.shift(dt.timedelta(days=8))
        assert api.get("/api/v1/me/").status_code == 401


def test_logout_revokes_the_callers_token_only(bruno):
    first, second = token_for(), token_for()
    response = api_with(first).post("/api/v1/auth/logout/")
    assert response.status_code == 204
    assert api_with(first).get("/api/v1/me/").status_code == 401
    assert api_with(second).get("/api/v1/me/").status_code == 200


def test_password_change_on_the_site_revokes_api_tokens(bruno):
    api = api_with(token_for())
    client = Client()
    client.force_login(bruno.user)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "Un-autre-mot-42", "password2": "Un-autre-mot-42"},
    )
    assert response.status_code == 302
    assert api.get("/api/v1/me/").status_code == 401


def reset_password_by_mail(email, new_password):
    client = Client()
    client.post("/accounts/password/reset/", {"email": email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body)
    form_url = client.get(link.group(1)).url
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302, response.content


def test_password_reset_by_mail_revokes_api_tokens(bruno):
    api = api_with(token_for())
    reset_password_by_mail("bruno@example.org", "Un-autre-mot-42")
    assert api.get("/api/v1/me/").status_code == 401


def test_djangos_set_password_form_revokes_api_tokens(bruno):
    """Django's own reset and admin forms, and `changepassword`, end in set_password + save."""
    api = api_with(token_for())
    form = SetPasswordForm(
        bruno.user, {"new_password1": "Un-autre-mot-42", "new_password2": "Un-autre-mot-42"}
    )
    assert form.is_valid(), form.errors
    form.save()
    assert api.get("/api/v1/me/").status_code == 401


def test_no_token_for_an_unverified_address():
    UserFactory(email="pas-verifie@example.org", password=PASSWORD, verified=False)
    response = ask_token("pas-verifie@example.org", PASSWORD, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 403
    assert response.json()["code"] == "email_unverified"
    assert "token" not in response.json()


def test_a_stranger_who_signed_up_with_the_victims_address_never_reads_her_association(
    settings, association
):
    """The stranger signs up with camille's address; camille later resets the password (she
    proves she owns the mailbox) and joins an association. The stranger must read nothing."""
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"  # the laxest setting a site may choose
    stranger = Client()
    stranger.post(
        "/accounts/signup/",
        {"email": "camille@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    response = ask_token("camille@example.org", PASSWORD)
    assert response.status_code == 403
    leaked = response.json().get("token", "")

    reset_password_by_mail("camille@example.org", "Le-mot-de-camille-42")
    camille = User.objects.get(email="camille@example.org")
    EmailAddress.objects.filter(user=camille).update(verified=True)
    MembershipFactory(user=camille, association=association, status=Membership.Status.ACTIVE)

    members_url = f"/api/v1/associations/{association.slug}/members/"
    assert api_with(leaked).get(members_url).status_code == 401
    assert ask_token("camille@example.org", PASSWORD).status_code == 400
    assert (
        api_with(token_for("camille@example.org", "Le-mot-de-camille-42"))
        .get(members_url)
        .status_code
        == 200
    )
