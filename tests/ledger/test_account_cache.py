""" "My account" is rendered once per version of the association's ledger (triggers bump it
on every write of a leg or of a transaction, whoever writes), per member, period and day: a
posting is never hidden by the cache, and the cached page runs fewer queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledger.models import LedgerTransaction, LedgerVersion, Leg
from ledger.selectors.balances import ledger_version
from ledger.services import post_trip_charge
from tests.factories.ledger import tariffed_vehicle
from tests.ledger.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def clio(association, admin):
    return tariffed_vehicle(
        association, owners=[(admin, 100)], name="Clio", depreciation_per_km="0.100"
    )


def trip(member, clio, day: int, km: int = 123):
    return post_trip_charge(
        driver=member,
        vehicle=clio,
        km=km,
        started_at=at(2026, 11, day, 9),
        ended_at=at(2026, 11, day, 12),
        reference=f"booking:{day}",
        actor=member,
    )


def account(client, association, query: str = "") -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/{association.slug}/ledger/me/{query}")
    assert response.status_code == 200
    html = response.content.decode()
    return html.split('<main id="main"')[1].split("</main>")[0], len(queries)


def test_every_write_of_a_leg_bumps_the_association_ledger_version(association, member, clio):
    assert ledger_version(association) == 0
    txn = trip(member, clio, 3)  # INSERT of its legs
    after_post = ledger_version(association)
    assert after_post > 0
    Leg.objects.filter(transaction=txn).update(memo="behind the services' back")  # UPDATE
    assert ledger_version(association) > after_post
    assert LedgerVersion.objects.count() == 1  # one counter per association


def test_every_write_of_a_transaction_bumps_the_version_too(association, member, clio):
    """A trip with nothing to pay has no leg, and the page shows its description."""
    txn = trip(member, clio, 3)
    before = ledger_version(association)
    LedgerTransaction.objects.filter(pk=txn.pk).update(label="renamed behind the back")
    assert ledger_version(association) == before + 1
    Leg.objects.filter(transaction=txn).delete()
    after_legs = ledger_version(association)
    LedgerTransaction.objects.filter(pk=txn.pk).delete()
    assert ledger_version(association) == after_legs + 1


def test_a_cached_account_shows_a_transaction_changed_without_its_legs(
    association, member, member_client, clio, frozen_today
):
    txn = trip(member, clio, 3)
    first, _ = account(member_client, association)
    LedgerTransaction.objects.filter(pk=txn.pk).update(label="Trajet au marché de Pontivy")
    html, _ = account(member_client, association)
    assert "Trajet au marché de Pontivy" not in first
    assert "Trajet au marché de Pontivy" in html


def test_a_cached_account_never_hides_a_posting(
    association, member, member_client, clio, frozen_today
):
    trip(member, clio, 3)
    first, cold = account(member_client, association)
    again, warm = account(member_client, association)
    assert again == first
    assert warm < cold  # balance, transactions and periods from the cache
    assert "-36,90" in first

    trip(member, clio, 10)  # a second trip of the same length: the balance doubles
    html, _ = account(member_client, association)
    assert "-73,80" in html and "-36,90" in html  # the new balance, the trip's own line


def test_each_member_and_each_period_has_its_own_page(
    association, member, admin, member_client, admin_client_, clio, frozen_today
):
    trip(member, clio, 3)
    member_html, _ = account(member_client, association)
    admin_html, _ = account(admin_client_, association)
    assert "-36,90" in member_html
    assert "+36,90" in admin_html
    october, _ = account(member_client, association, "?period=2026-10")
    assert "-36,90" in october  # the balance, not the November trip
    assert "03/11/2026" not in october and "03/11/2026" in member_html


def test_the_next_day_is_rendered_again(association, member, member_client, clio, frozen_today):
    trip(member, clio, 3)
    account(member_client, association)
    frozen_today.move_to(at(2026, 12, 1, 9))  # a new period starts: it joins the picker
    html, _ = account(member_client, association)
    assert 'value="2026-12"' in html
