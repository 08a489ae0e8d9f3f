"""Abuse cases of the handover form: a member signs their own agreement and invents a
deposit; another association's admin; a signed agreement handed over twice."""

import datetime as dt

import pytest
import time_machine

from contracts.models import Agreement
from ledger.models import Deposit
from tests.factories.contracts import AgreementFactory
from tests.factories.ledger import tariffed_vehicle
from tests.factories.members import MembershipFactory

pytestmark = pytest.mark.django_db
DATA = {"signed_on": "2026-11-26", "deposit_amount": "500", "deposit_means": "cash"}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def agreement(association, member):
    return AgreementFactory(
        vehicle=tariffed_vehicle(association, owners=[]),
        driver=member,
        status=Agreement.Status.PRINTED,
        signed_on=None,
        generated_at=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC),
    )


def _unchanged(agreement):
    agreement.refresh_from_db()
    return agreement.status == Agreement.Status.PRINTED and not Deposit.objects.exists()


def test_a_member_cannot_record_their_own_handover(member_client, agreement):
    response = member_client.post(f"/testville/ledger/handover/{agreement.pk}/", DATA)
    assert response.status_code == 403
    assert _unchanged(agreement)


def test_another_associations_admin_does_not_see_the_agreement(other_association, agreement):
    from django.test import Client

    stranger = MembershipFactory(association=other_association, role="admin")
    client = Client()
    client.force_login(stranger.user)
    url = f"/{other_association.slug}/ledger/handover/{agreement.pk}/"
    assert client.post(url, DATA).status_code == 404
    assert client.post(f"/testville/ledger/handover/{agreement.pk}/", DATA).status_code in (
        403,
        404,
    )
    assert _unchanged(agreement)


def test_a_signed_agreement_is_not_handed_over_twice(admin_client_, agreement):
    url = f"/testville/ledger/handover/{agreement.pk}/"
    assert admin_client_.post(url, DATA).status_code == 302
    again = admin_client_.post(url, {**DATA, "deposit_amount": "900"})
    assert again.status_code == 400
    assert list(Deposit.objects.values_list("amount", flat=True)) == [500]


def test_a_hostile_file_is_refused_before_anything_is_written(admin_client_, agreement):
    from django.core.files.uploadedfile import SimpleUploadedFile

    scan = SimpleUploadedFile("scan.pdf", b"<script>alert(1)</script>", content_type="text/html")
    response = admin_client_.post(
        f"/testville/ledger/handover/{agreement.pk}/", {**DATA, "scan": scan}
    )
    assert response.status_code == 400
    assert _unchanged(agreement)
