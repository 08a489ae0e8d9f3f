"""`check --deploy --fail-level WARNING` passes with production-like settings."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7$Kq2!vR9mZ#pL4wT8nB1cF6hJ3dS5gY0uE-aQ_oI=rW+eN@tX",
    "ALLOWED_HOSTS": "carshare.example.org",
    "EMAIL_URL": "smtp://mailer:secret@smtp.example.org:587",
}
# As docker-compose.yml runs it: behind one TLS proxy, with the security settings spelt out.
BEHIND_A_PROXY = {
    **PRODUCTION,
    "TRUST_X_FORWARDED_PROTO": "1",
    "TRUSTED_PROXY_COUNT": "1",
    "API_TOKEN_TTL_HOURS": "24",
    "LOGIN_FAILURE_LIMIT": "5",
    "LOGIN_LOCKOUT_MINUTES": "15",
    "PDF_RENDERS_PER_PROCESS": "1",
}


def manage(*args, env):
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        **env,
    }
    return subprocess.run(  # noqa: S603 - the project's own manage.py
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("env", [PRODUCTION, BEHIND_A_PROXY], ids=["direct", "behind-a-proxy"])
def test_deploy_check_passes_with_production_settings(env):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_lock_accounts_and_hash_tokens():
    """What check --deploy cannot see: the lockout, the token store, the render caps."""
    code = (
        "from django.conf import settings as s; "
        "print(s.AUTHENTICATION_BACKENDS[0], s.AXES_FAILURE_LIMIT, s.REST_KNOX['TOKEN_TTL'], "
        "s.REST_FRAMEWORK['DEFAULT_AUTHENTICATION_CLASSES'][0], s.TRUSTED_PROXY_COUNT, "
        "'rest_framework.authtoken' in s.INSTALLED_APPS, s.PDF_RENDERS_PER_PROCESS)"
    )
    result = manage("shell", "-c", code, env=BEHIND_A_PROXY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "axes.backends.AxesStandaloneBackend",
        "5",
        "1",
        "day,",
        "0:00:00",
        "members.api_auth.TokenAuthentication",
        "1",
        "False",
        "1",
    ]


def test_settings_refuse_a_negative_proxy_count():
    result = manage("check", env={**PRODUCTION, "TRUSTED_PROXY_COUNT": "-1"})
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be 0 or more" in result.stderr


def test_settings_refuse_to_start_without_a_secret_key_in_production():
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_settings_refuse_a_malformed_boolean():
    env = {**os.environ, "DEBUG": "peut-être"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr
