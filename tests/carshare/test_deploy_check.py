"""`check --deploy --fail-level WARNING` passes with production-like settings."""

import os
import subprocess
import sys

from django.conf import settings


def test_deploy_check_passes_with_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "SECRET_KEY": "x7$Kq2!vR9mZ#pL4wT8nB1cF6hJ3dS5gY0uE-aQ_oI=rW+eN@tX",
        "ALLOWED_HOSTS": "carshare.example.org",
        "EMAIL_URL": "smtp://mailer:secret@smtp.example.org:587",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


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
