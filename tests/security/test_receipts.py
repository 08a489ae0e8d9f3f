"""Money a member declares: fuel receipts are bounded by the trip, and big or unproven ones
wait for the owner's or an admin's approval before they touch any balance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bookings.models import Booking, FuelReceipt
from ledger.models import LedgerTransaction
from ledger.selectors.balances import member_balance
from tests.security.helpers import api_for, co_owned_car, driver, trip_under_way

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=PARIS)
BASE = "/api/v1/associations/testville/bookings"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def camille(association):
    return driver(association)


@pytest.fixture
def bruno(association):
    return driver(association)


@pytest.fixture
def car(camille, bruno):
    return co_owned_car(camille, bruno)


@pytest.fixture
def booking(car, bruno):
    return trip_under_way(car, bruno, NOW - dt.timedelta(hours=2))


def check_in(bruno, booking, *receipts):
    body = {"odometer": 88_011, "fuel_level": 50, "fuel_receipts": list(receipts)}
    return api_for(bruno).post(f"{BASE}/{booking.pk}/checkin/", body, format="json")


def fuel_postings():
    return LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.FUEL)


def test_ten_receipts_of_99_999_99_after_1_km_are_refused_and_touch_no_balance(
    bruno, camille, booking
):
    receipt = {"amount": "99999.99", "date": "2026-11-26"}
    response = check_in(bruno, booking, *[receipt] * 10)
    assert response.status_code == 400, response.content
    assert "fuel_receipts" in response.json()  # no receipt reaches 10,000 €
    # just under that bound, the trip's ceiling refuses them (180.45 € after 1 km)
    response = check_in(bruno, booking, *[{**receipt, "amount": "9999.99"}] * 10)
    assert response.status_code == 400 and response.json()["code"] == "receipt_above_ceiling"
    assert "180,45" in response.json()["detail"]
    booking.refresh_from_db()
    assert booking.status == Booking.Status.IN_PROGRESS
    assert not FuelReceipt.objects.exists() and not LedgerTransaction.objects.exists()
    assert member_balance(bruno) == member_balance(camille) == Decimal("0.00")


def test_receipts_that_together_exceed_the_trips_ceiling_are_refused(bruno, booking):
    # each under the ceiling of a 1 km trip, not all five together
    response = check_in(bruno, booking, *[{"amount": "100.00", "date": "2026-11-26"}] * 5)
    assert response.status_code == 400 and response.json()["code"] == "receipt_above_ceiling"
    assert not FuelReceipt.objects.exists()


@pytest.mark.parametrize("day", ["2026-11-20", "2026-11-28", "2025-11-26"])
def test_a_receipt_dated_outside_the_trip_is_refused(bruno, booking, day):
    response = check_in(bruno, booking, {"amount": "30.00", "date": day})
    assert response.status_code == 400 and response.json()["code"] == "receipt_outside_trip"
    assert not FuelReceipt.objects.exists() and not fuel_postings().exists()


def test_a_receipt_without_photo_waits_and_posts_nothing_until_approved(bruno, camille, booking):
    response = check_in(bruno, booking, {"amount": "40.00", "date": "2026-11-25"})
    assert response.status_code == 200, response.content
    [listed] = response.json()["fuel_receipts"]
    assert listed["status"] == "pending" and listed["amount"] == "40.00"
    assert not fuel_postings().exists()
    balance_before = member_balance(bruno)
    approve = f"{BASE}/{booking.pk}/receipts/{listed['id']}/approve/"
    answer = api_for(camille).post(approve, {}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "approved"
    assert fuel_postings().get().amount == Decimal("40.00")
    # co-owners 50/50: bruno advanced 40.00, his own half cancels out
    assert member_balance(bruno) == balance_before + Decimal("20.00")


def test_a_refused_receipt_is_never_posted_and_keeps_its_reason(bruno, camille, booking):
    listed = check_in(bruno, booking, {"amount": "40.00", "date": "2026-11-26"}).json()
    receipt_id = listed["fuel_receipts"][0]["id"]
    url = f"{BASE}/{booking.pk}/receipts/{receipt_id}"
    assert api_for(camille).post(f"{url}/refuse/", {}, format="json").status_code == 400
    answer = api_for(camille).post(
        f"{url}/refuse/", {"reason": "Ticket illisible, refais une photo"}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["status"] == "refused"
    assert answer.json()["refusal_reason"] == "Ticket illisible, refais une photo"
    assert api_for(camille).post(f"{url}/approve/", {}, format="json").status_code == 409
    assert not fuel_postings().exists()


def test_another_associations_admin_cannot_approve_a_receipt(
    bruno, admin, booking, other_association
):
    from members.models import Membership
    from tests.factories.members import MembershipFactory

    stranger = MembershipFactory(association=other_association, role=Membership.Role.ADMIN)
    listed = check_in(bruno, booking, {"amount": "40.00", "date": "2026-11-26"}).json()
    receipt_id = listed["fuel_receipts"][0]["id"]
    url = f"{BASE}/{booking.pk}/receipts/{receipt_id}/approve/"
    assert api_for(stranger).post(url, {}, format="json").status_code == 404
    other_url = f"/api/v1/associations/{other_association.slug}/bookings/{booking.pk}"
    answer = api_for(stranger).post(
        f"{other_url}/receipts/{receipt_id}/approve/", {}, format="json"
    )
    assert answer.status_code == 404
    assert FuelReceipt.objects.get().status == FuelReceipt.Status.PENDING
    assert not fuel_postings().exists()
    # the association's own admin can
    assert api_for(admin).post(url, {}, format="json").status_code == 200


def test_the_driver_cannot_approve_their_own_receipt_on_a_shared_car(bruno, camille, booking):
    listed = check_in(bruno, booking, {"amount": "40.00", "date": "2026-11-26"}).json()
    receipt_id = listed["fuel_receipts"][0]["id"]
    url = f"{BASE}/{booking.pk}/receipts/{receipt_id}/approve/"
    answer = api_for(bruno).post(url, {}, format="json")
    assert answer.status_code == 403 and answer.json()["code"] == "receipt_own"
    assert FuelReceipt.objects.get().status == FuelReceipt.Status.PENDING
    assert not fuel_postings().exists()
    assert api_for(camille).post(url, {}, format="json").status_code == 200


def test_a_small_receipt_with_a_photo_is_approved_at_check_in(
    bruno, booking, member_client, client
):
    from tests.factories.vehicles import png_upload

    client.force_login(bruno.user)
    response = client.post(
        f"/testville/bookings/{booking.pk}/checkin/",
        {
            "odometer": "88011",
            "fuel_level": "50",
            "parked_at": "Cour de la ferme",
            "receipts-TOTAL_FORMS": "1",
            "receipts-INITIAL_FORMS": "0",
            "receipts-0-amount": "35.50",
            "receipts-0-date": "2026-11-26",
            "receipts-0-photo": png_upload("ticket.png"),
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert FuelReceipt.objects.get().status == FuelReceipt.Status.APPROVED
    assert fuel_postings().get().amount == Decimal("35.50")


def test_a_member_who_neither_owns_the_car_nor_administers_cannot_decide(
    bruno, booking, association
):
    from rest_framework.test import APIClient

    listed = check_in(bruno, booking, {"amount": "40.00", "date": "2026-11-26"}).json()
    url = f"{BASE}/{booking.pk}/receipts/{listed['fuel_receipts'][0]['id']}"
    neighbour = driver(association)
    for action, body in (("approve", {}), ("refuse", {"reason": "Non"})):
        answer = api_for(neighbour).post(f"{url}/{action}/", body, format="json")
        assert answer.status_code == 403, answer.content  # not a participant of the trip
        assert APIClient().post(f"{url}/{action}/", body, format="json").status_code == 401
    assert FuelReceipt.objects.get().status == FuelReceipt.Status.PENDING
    assert not fuel_postings().exists()


def test_a_receipt_with_a_photo_above_the_associations_threshold_waits(
    bruno, booking, association, client
):
    from tests.factories.vehicles import png_upload

    association.receipt_approval_threshold = Decimal("30.00")
    association.save(update_fields=["receipt_approval_threshold"])
    client.force_login(bruno.user)
    response = client.post(
        f"/testville/bookings/{booking.pk}/checkin/",
        {
            "odometer": "88011",
            "fuel_level": "50",
            "parked_at": "Cour de la ferme",
            "receipts-TOTAL_FORMS": "1",
            "receipts-INITIAL_FORMS": "0",
            "receipts-0-amount": "35.50",
            "receipts-0-date": "2026-11-26",
            "receipts-0-photo": png_upload("ticket.png"),
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert FuelReceipt.objects.get().status == FuelReceipt.Status.PENDING
    assert not fuel_postings().exists()  # the trip's own cost is posted, the fuel waits
