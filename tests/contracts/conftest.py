"""A realistic car for the agreement tests: Camille Roux lends her Clio to the `member`."""

from __future__ import annotations

import pytest

from tests.factories.members import DriverProfileFactory, MembershipFactory, UserFactory
from tests.factories.vehicles import owned_vehicle


@pytest.fixture
def owner(association):
    user = UserFactory(first_name="Camille", last_name="Roux")
    membership = MembershipFactory(association=association, user=user)
    DriverProfileFactory(user=user)
    return membership


@pytest.fixture
def car(owner):
    return owned_vehicle(
        owner,
        name="Clio",
        make="Renault",
        model="Clio",
        plate="AB-123-CD",
        parking_place="Devant le 4, rue du Lavoir",
        accessories="Gilet jaune\nTriangle",
    )


@pytest.fixture
def driver(member):
    member.user.first_name, member.user.last_name = "Bruno", "Lefèvre"
    member.user.save(update_fields=["first_name", "last_name"])
    return member


LIGHT_AGREEMENT = """<h1>Contrat</h1>
<p>{{ lender.name }} prête {{ vehicle.make }} {{ vehicle.model }} {{ vehicle.plate }}
à {{ driver.full_name }} ; franchise {{ deductible|euros }} ;
{{ tariff.price_per_km|euros }} par km.</p>
"""


@pytest.fixture
def light_templates(association, admin):
    """A one-page agreement template, for tests about the workflow rather than the text."""
    from contracts.services import save_template_version

    return save_template_version(
        actor=admin, association=association, kind="agreement", source=LIGHT_AGREEMENT
    )
