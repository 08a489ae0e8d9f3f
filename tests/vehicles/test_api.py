import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from members.models import Membership
from tests.factories.members import MembershipFactory
from tests.factories.vehicles import (
    InsurancePolicyFactory,
    VehicleDocumentFactory,
    VehicleFactory,
    owned_vehicle,
    pdf_upload,
)
from vehicles.models import Vehicle

pytestmark = pytest.mark.django_db
D = Decimal

MEMBER_KEYS = {
    "id", "name", "make", "model", "plate", "first_registered_on", "energy", "gearbox", "seats",
    "tank_capacity",
    "photo_url", "parking_place", "latitude", "longitude", "key_mode", "key_arrangement",
    "accessories", "usage_rules", "usual_radius_km", "is_active", "owner_kind", "owners",
    "approval_required", "drivers_restricted", "allowed_driver_ids", "min_notice_hours",
    "max_booking_hours", "buffer_minutes", "max_late_extension_hours", "tariff", "insurance",
    "next_roadworthiness_test_on",
    "status", "can_manage",
}  # fmt: skip


def api(membership):
    client = APIClient()
    client.force_authenticate(membership.user)
    return client


def list_url(association):
    return f"/api/v1/associations/{association.slug}/vehicles/"


def detail_url(association, vehicle):
    return f"{list_url(association)}{vehicle.pk}/"


def test_members_get_what_they_need_to_book_and_drive(member, admin, association):
    vehicle = owned_vehicle(admin, key_mode="spare", key_arrangement="Boîte à clés")
    policy = vehicle.insurance_policies.get()
    policy.young_driver_rule = "higher_deductible"
    policy.young_driver_deductible = D("800")
    policy.save()
    response = api(member).get(detail_url(association, vehicle))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == MEMBER_KEYS
    assert body["tariff"]["price_per_km"] == "0.300"
    assert body["insurance"]["deductible"] == "500.00"
    assert body["insurance"]["young_driver_rule"] == "higher_deductible"
    assert body["insurance"]["young_driver_deductible"] == "800.00"
    assert body["key_mode"] == "spare" and body["key_arrangement"] == "Boîte à clés"
    assert body["parking_place"] == "Place de la mairie"
    assert "policy_number" not in body["insurance"]
    assert "documents" not in body
    assert body["can_manage"] is False
    assert body["owners"][0]["membership_id"] == admin.pk


def test_owners_and_admins_also_get_policy_numbers_and_documents(member, admin, association):
    vehicle = owned_vehicle(member)
    VehicleDocumentFactory(vehicle=vehicle, file=pdf_upload())
    for caller in (member, admin):
        body = api(caller).get(detail_url(association, vehicle)).json()
        assert body["can_manage"] is True
        assert body["insurance"]["policy_number"].startswith("POL-")
        assert body["documents"][0]["kind"] == "roadworthiness"
        assert body["documents"][0]["file_url"].endswith("/file/")
        assert body["registration_holder_id"] is None


def test_the_list_mixes_the_two_views_per_vehicle(member, admin, association, other_association):
    mine = owned_vehicle(member)
    theirs = owned_vehicle(admin)
    VehicleFactory(association=other_association)
    body = api(member).get(list_url(association)).json()
    by_id = {item["id"]: item for item in body}
    assert set(by_id) == {mine.pk, theirs.pk}
    assert "documents" in by_id[mine.pk]
    assert "documents" not in by_id[theirs.pk]


def test_the_list_runs_a_constant_number_of_queries(member, admin, association):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api(member).get(list_url(association)).status_code == 200
        return len(queries)

    owned_vehicle(member)
    owned_vehicle(admin, drivers_restricted=True)
    few = count()
    for _ in range(4):
        VehicleDocumentFactory(vehicle=owned_vehicle(member))
        owned_vehicle(admin, drivers_restricted=True).allowed_drivers.add(member)
    assert count() == few


def test_a_vehicle_of_another_association_is_404(member, association, other_association):
    foreign = VehicleFactory(association=other_association)
    assert api(member).get(detail_url(association, foreign)).status_code == 404
    assert api(member).get(detail_url(other_association, foreign)).status_code == 404
    assert api(member).patch(detail_url(association, foreign), {"name": "x"}).status_code == 404


def test_an_outsider_gets_404_and_an_anonymous_caller_401_or_403(outsider, association, member):
    vehicle = owned_vehicle(member)
    assert api(outsider).get(list_url(association)).status_code == 404
    assert api(outsider).get(detail_url(association, vehicle)).status_code == 404
    assert APIClient().get(list_url(association)).status_code in (401, 403)


NEW_CAR = {
    "name": "Clio",
    "make": "Renault",
    "model": "Clio",
    "plate": "ab 123 cd",
    "energy": "petrol",
}


def test_a_member_creates_a_car_and_owns_it(member, association):
    response = api(member).post(list_url(association), NEW_CAR, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["plate"] == "AB-123-CD"
    assert body["owner_kind"] == "member"
    assert body["owners"] == [
        {"membership_id": member.pk, "name": member.user.display_name, "share": "100.00"}
    ]
    assert body["can_manage"] is True


def test_a_member_may_not_choose_another_ownership(member, association):
    response = api(member).post(
        list_url(association), {**NEW_CAR, "owner_kind": "commune"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "ownership_admin_only"
    assert not Vehicle.objects.exists()


def test_an_admin_creates_a_co_owned_car(admin, member, association):
    other = MembershipFactory(association=association)
    data = {
        **NEW_CAR,
        "owners": [
            {"membership": member.pk, "share": "50"},
            {"membership": other.pk, "share": "50"},
        ],
        "registration_holder": member.pk,
        "allowed_drivers": [other.pk],
        "drivers_restricted": True,
    }
    response = api(admin).post(list_url(association), data, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["owner_kind"] == "co_owners"
    assert body["registration_holder_id"] == member.pk
    assert body["allowed_driver_ids"] == [other.pk]


def test_an_admin_car_without_owners_belongs_to_the_association(admin, association):
    response = api(admin).post(
        list_url(association), {**NEW_CAR, "owner_kind": "association"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["owners"] == []


def test_owners_of_another_association_are_refused(admin, outsider, association):
    data = {**NEW_CAR, "owners": [{"membership": outsider.pk, "share": "100"}]}
    response = api(admin).post(list_url(association), data, format="json")
    assert response.status_code == 400
    assert "owners" in response.json()
    assert not Vehicle.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {**NEW_CAR, "plate": "SS-123-AB"},
        {**NEW_CAR, "energy": "steam"},
        {**NEW_CAR, "seats": 40},
        {**NEW_CAR, "latitude": "91"},
        {**NEW_CAR, "latitude": "45.7"},
        {**NEW_CAR, "key_mode": "spare"},
        {**NEW_CAR, "owners": "everyone"},
        {**NEW_CAR, "allowed_drivers": [999999]},
        {**NEW_CAR, "max_booking_hours": 0},
        ["not", "an", "object"],
    ],
)
def test_invalid_input_is_a_400_and_writes_nothing(admin, association, payload):
    response = api(admin).post(list_url(association), payload, format="json")
    assert response.status_code == 400, response.content
    assert not Vehicle.objects.exists()


def test_a_duplicate_plate_is_a_400_with_the_reason_in_french(member, association):
    owned_vehicle(member, plate="AB-123-CD")
    client = api(member)
    response = client.post(list_url(association), NEW_CAR, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    body = response.json()
    # The service's refusal answers as a field error and with its stable code.
    assert (body["code"], body["field"]) == ("plate_taken", "plate")
    assert body["plate"] == [body["detail"]] and "immatriculation" in body["detail"]
    assert Vehicle.objects.count() == 1


def test_the_owner_patches_rules(member, association):
    vehicle = owned_vehicle(member)
    response = api(member).patch(
        detail_url(association, vehicle),
        {"approval_required": True, "min_notice_hours": 24},
        format="json",
    )
    assert response.status_code == 200
    vehicle.refresh_from_db()
    assert vehicle.approval_required and vehicle.min_notice_hours == 24
    assert vehicle.name == response.json()["name"]  # untouched fields stay


def test_another_member_gets_403_on_patch(member, admin, association):
    vehicle = owned_vehicle(admin)
    response = api(member).patch(detail_url(association, vehicle), {"name": "Mine"}, format="json")
    assert response.status_code == 403
    vehicle.refresh_from_db()
    assert vehicle.name != "Mine"


def test_an_owner_may_not_patch_the_ownership(member, association):
    vehicle = owned_vehicle(member)
    response = api(member).patch(
        detail_url(association, vehicle), {"owner_kind": "commune"}, format="json"
    )
    assert response.status_code == 403
    vehicle.refresh_from_db()
    assert vehicle.owner_kind == "member"


def test_an_admin_patches_ownership_and_rules_together_or_not_at_all(admin, member, association):
    vehicle = owned_vehicle(member)
    bad = {"name": "Renamed", "owner_kind": "co_owners"}  # co-owners need two owners
    response = api(admin).patch(detail_url(association, vehicle), bad, format="json")
    assert response.status_code == 400
    vehicle.refresh_from_db()
    assert vehicle.name != "Renamed" and vehicle.owner_kind == "member"
    good = {"name": "Renamed", "owner_kind": "association", "owners": []}
    response = api(admin).patch(detail_url(association, vehicle), good, format="json")
    assert response.status_code == 200
    vehicle.refresh_from_db()
    assert vehicle.name == "Renamed" and vehicle.owner_kind == "association"
    assert not vehicle.ownerships.exists()


def test_status_badges_are_in_the_api(member, association):
    vehicle = owned_vehicle(member, is_active=False)
    vehicle.insurance_policies.all().delete()
    InsurancePolicyFactory(
        vehicle=vehicle, valid_from=dt.date(2019, 1, 1), valid_until=dt.date(2020, 1, 1)
    )
    body = api(member).get(detail_url(association, vehicle)).json()
    assert [status["code"] for status in body["status"]] == ["insurance_expired", "inactive"]
    assert body["status"][0]["on"] == "2020-01-01"


def test_the_schema_documents_the_endpoints(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert (
        "/api/v1/associations/{slug}/vehicles/{id}/" in text
        or "/api/v1/associations/{slug}/vehicles/{pk}/" in text
    )
    assert "VehicleManagerOutput" in text and "VehicleForCaller" in text


def test_an_inactive_membership_sees_nothing(association, member):
    vehicle = owned_vehicle(member)
    member.status = Membership.Status.LEFT
    member.save()
    assert api(member).get(detail_url(association, vehicle)).status_code == 404
