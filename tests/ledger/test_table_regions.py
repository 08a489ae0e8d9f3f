"""The ledger tables a member reads on a phone scroll sideways: each is a named region that
takes the keyboard focus (axe-core rule scrollable-region-focusable)."""

import re

import pytest
from django.urls import reverse

from ledger.services import post_trip_charge
from tests.factories.ledger import platform, tariffed_vehicle
from tests.ledger.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def trip(association, admin, member):
    clio = tariffed_vehicle(association, owners=[(admin, 100)], name="Clio")
    post_trip_charge(
        driver=member,
        vehicle=clio,
        km=123,
        started_at=at(2026, 11, 3, 9),
        ended_at=at(2026, 11, 3, 12),
        reference="booking:1",
        actor=platform(clio),
    )


def table_regions(client, name, **kwargs):
    response = client.get(reverse(f"ledger:{name}", kwargs={"slug": "testville", **kwargs}))
    assert response.status_code == 200
    return re.findall(r'<div class="table-wrap"[^>]*>', response.content.decode())


def region(label):
    return f'<div class="table-wrap" role="region" aria-label="{label}" tabindex="0">'


def test_my_transactions_are_a_focusable_named_region(member_client, trip, frozen_today):
    assert table_regions(member_client, "my_account") == [region("Vos écritures de 2026-11")]


def test_my_statement_tables_are_focusable_named_regions(member_client, trip, frozen_today):
    """Named by their captions (aria-labelledby), whose cells name their headers."""
    url = reverse("ledger:my_statement", kwargs={"slug": "testville", "period": "2026-11"})
    html = member_client.get(url).content.decode()
    regions = re.findall(
        r'<div class="table-wrap" role="region" aria-labelledby="([\w-]+)" tabindex="0">', html
    )
    assert regions[0] == "statement-summary" and len(regions) > 1
    assert len(regions) == html.count('<div class="table-wrap"')
    for caption in regions:
        assert re.search(rf'<caption id="{caption}">[^<]+</caption>', html)
    for cell in re.findall(r'<td[^>]* headers="([^"]+)"', html):
        assert all(f'id="{header}"' in html for header in cell.split())
