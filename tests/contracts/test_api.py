import datetime as dt

import pytest
from rest_framework.test import APIClient

from tests.factories.contracts import TINY_PDF, AgreementFactory
from tests.factories.members import MembershipFactory
from tests.factories.vehicles import owned_vehicle

pytestmark = pytest.mark.django_db


def api_client(membership):
    client = APIClient()
    client.force_authenticate(membership.user)
    return client


def list_url(association):
    return f"/api/v1/associations/{association.slug}/contracts/"


def test_admins_list_every_agreement_members_their_own(association, admin, car, driver):
    mine = AgreementFactory(vehicle=car, driver=driver)
    other = AgreementFactory(vehicle=owned_vehicle(MembershipFactory(association=association)))
    everything = api_client(admin).get(list_url(association))
    assert [row["id"] for row in everything.json()] == [mine.pk, other.pk]
    own = api_client(driver).get(list_url(association)).json()
    assert [row["id"] for row in own] == [mine.pk]
    assert own[0] | {"generated_at": None} == {
        "id": mine.pk,
        "status": "signed",
        "vehicle_id": car.pk,
        "vehicle_name": "Clio",
        "plate": "AB-123-CD",
        "driver_membership_id": driver.pk,
        "driver_name": "Bruno Lefèvre",
        "driver_is_owner": False,
        "template": "default",
        "generated_at": None,
        "printed_at": None,
        "signed_on": "2025-01-15",
        "ended_at": None,
        "outdated_reasons": [],
        "page_count": 1,
        "pdf_sha256": mine.pdf_sha256,
    }


def test_times_are_answered_in_the_associations_time_zone(association, admin, car, driver):
    association.time_zone = "America/Cayenne"  # UTC-3 all year; the server's zone is Paris
    association.save(update_fields=["time_zone"])
    agreement = AgreementFactory(vehicle=car, driver=driver)
    agreement.generated_at = dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC)
    agreement.save(update_fields=["generated_at"])
    (row,) = api_client(admin).get(list_url(association)).json()
    assert row["generated_at"] == "2026-07-01T09:00:00-03:00"  # Paris would say 14:00+02:00


def test_the_list_filters_and_refuses_bad_filters(association, admin, car, driver):
    AgreementFactory(vehicle=car, driver=driver)
    client = api_client(admin)
    assert client.get(list_url(association), {"state": "to_print"}).json() == []
    assert len(client.get(list_url(association), {"vehicle": car.pk}).json()) == 1
    bad = client.get(list_url(association), {"state": "nonsense"})
    assert bad.status_code == 400


def test_the_pdf_endpoint_serves_the_stored_file(association, car, driver):
    agreement = AgreementFactory(vehicle=car, driver=driver)
    client = api_client(driver)
    url = f"{list_url(association)}{agreement.pk}/pdf/"
    for accept in ("application/pdf", "*/*", "application/json"):
        response = client.get(url, HTTP_ACCEPT=accept)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == TINY_PDF


def test_another_associations_agreement_is_not_found(association, car, driver, outsider):
    agreement = AgreementFactory(vehicle=car, driver=driver)
    client = api_client(outsider)
    assert client.get(list_url(association)).status_code == 404
    own = f"/api/v1/associations/{outsider.association.slug}/contracts/{agreement.pk}/pdf/"
    response = client.get(own, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_a_member_who_is_not_party_is_forbidden(association, car, driver):
    agreement = AgreementFactory(vehicle=car, driver=driver)
    stranger = api_client(MembershipFactory(association=association))
    url = f"{list_url(association)}{agreement.pk}/pdf/"
    assert stranger.get(url).status_code == 403


def test_the_schema_describes_the_endpoints(admin_client_):
    schema = admin_client_.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert (
        "/api/v1/associations/{slug}/contracts/{id}/pdf/" in schema
        or "contracts/{pk}/pdf/" in schema
    )
    assert "application/pdf" in schema
