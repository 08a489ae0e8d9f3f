import pytest

from tests.factories.ledger import tariffed_vehicle
from tests.factories.members import DriverProfileFactory, MembershipFactory


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


@pytest.fixture
def owner(association):
    """Camille, who lends her Clio (incidents, the notebook)."""
    membership = MembershipFactory(association=association, user__first_name="Camille")
    DriverProfileFactory(user=membership.user)
    return membership


@pytest.fixture
def clio(association, owner):
    """Camille's Clio: one tariff, insured with a 500 € deductible."""
    return tariffed_vehicle(association, owners=[(owner, 100)], name="Clio")
