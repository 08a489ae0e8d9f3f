import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.factories.members import MembershipFactory
from tests.factories.vehicles import VehicleDocumentFactory, owned_vehicle
from vehicles.home import fleet_alerts

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 10, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def due_car(member):
    vehicle = owned_vehicle(member, name="Clio")
    VehicleDocumentFactory(vehicle=vehicle, expires_on=dt.date(2026, 5, 20))
    return vehicle


@time_machine.travel(NOW, tick=False)
def test_owners_and_admins_see_their_cars_that_need_attention(member, admin, association, due_car):
    owned_vehicle(member, name="Kangoo")  # nothing to report
    owned_vehicle(member, name="Old", is_active=False)  # inactive only: not an alert
    for manager in (member, admin):
        data = fleet_alerts(manager)
        assert [s.vehicle.name for s in data["summaries"]] == ["Clio"]
    assert fleet_alerts(MembershipFactory(association=association)) is None


@time_machine.travel(NOW, tick=False)
def test_the_home_page_shows_the_section(member_client, association, due_car):
    response = member_client.get(reverse("members:home", kwargs={"slug": association.slug}))
    assert response.status_code == 200
    assert "Clio" in response.text
    assert (
        reverse("vehicles:detail", kwargs={"slug": association.slug, "pk": due_car.pk})
        in response.text
    )
