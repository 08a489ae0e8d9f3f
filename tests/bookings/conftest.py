import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Factories hash a password per person; the race tests create twenty people."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api(member):
    """The API as the association's member."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(member.user)
    return client
