"""Fuel receipts: the trip's ceiling and date window, who approves, when the ledger sees them."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import Booking, FuelReceipt, Trip
from bookings.selectors.receipts import receipts_to_decide
from bookings.services.logbook import LogbookLine, enter_past_trip
from bookings.services.receipts import (
    ReceiptInput,
    TripFacts,
    approve_receipt,
    check_receipts,
    receipt_ceiling,
    refuse_receipt,
)
from bookings.services.trips import Reading, Return, check_in
from core.errors import DomainError, ForbiddenError
from ledger.models import LedgerTransaction
from ledger.services import close_period
from members.models import AuditEntry, Membership
from tests.bookings.helpers import shared_vehicle
from tests.factories.bookings import BookingFactory
from tests.factories.members import DriverProfileFactory, MembershipFactory
from tests.factories.vehicles import VehicleFactory, png_upload
from tests.security.helpers import co_owned_car, trip_under_way
from vehicles.models import Vehicle

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=PARIS)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def fuel_postings():
    return LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.FUEL)


@pytest.mark.parametrize(
    ("energy", "capacity", "km", "ceiling"),
    [
        ("petrol", None, 1, "180.45"),  # 60 L by default: (60 + 0.15) × 3 €
        ("diesel", 45, 0, "135.00"),  # the owner's figure: 45 L
        ("diesel", None, 300, "345.00"),  # (70 + 45) × 3 €
        ("electric", None, 100, "110.00"),  # (80 + 30) kWh × 1 €
        ("lpg", None, 10, "304.50"),  # (100 + 1.5) × 3 €
    ],
)
def test_the_ceiling_is_a_full_tank_plus_the_fuel_for_the_km(
    association, energy, capacity, km, ceiling
):
    vehicle = VehicleFactory(association=association, energy=energy, tank_capacity=capacity)
    assert receipt_ceiling(vehicle, km) == Decimal(ceiling)


def test_receipts_are_dated_from_the_day_before_the_car_was_taken_to_the_day_after(
    association,
):
    vehicle = VehicleFactory(association=association)
    # taken late on the 24th (local), back early on the 26th
    facts = TripFacts(
        vehicle,
        50,
        dt.datetime(2026, 11, 24, 23, 30, tzinfo=PARIS),
        dt.datetime(2026, 11, 26, 0, 30, tzinfo=PARIS),
    )
    for day in (dt.date(2026, 11, 23), dt.date(2026, 11, 27)):
        check_receipts(facts, [ReceiptInput(Decimal("20"), day)])
    for day in (dt.date(2026, 11, 22), dt.date(2026, 11, 28)):
        with pytest.raises(DomainError) as error:
            check_receipts(facts, [ReceiptInput(Decimal("20"), day)])
        assert error.value.code == "receipt_outside_trip"


def test_the_ceiling_counts_the_receipts_already_recorded(association):
    vehicle = VehicleFactory(association=association, tank_capacity=40)  # 120.45 € after 1 km
    facts = TripFacts(vehicle, 1, NOW, NOW)
    check_receipts(facts, [ReceiptInput(Decimal("60.45"), TODAY)], already=Decimal("60"))
    with pytest.raises(DomainError) as error:
        check_receipts(facts, [ReceiptInput(Decimal("60.46"), TODAY)], already=Decimal("60"))
    assert error.value.code == "receipt_above_ceiling"


@pytest.fixture
def camille(association):
    membership = MembershipFactory(association=association)
    DriverProfileFactory(user=membership.user)
    return membership


def pending_receipt(car, driver, amount="40.00"):
    booking = trip_under_way(car, driver, NOW - dt.timedelta(hours=2))
    report = Return(reading=Reading(88_110, 50), receipts=[ReceiptInput(Decimal(amount), TODAY)])
    trip = check_in(actor=driver, booking=booking, report=report)
    return trip.fuel_receipts.get()


def test_above_the_threshold_a_receipt_with_a_photo_waits_too(association, member, camille):
    car = co_owned_car(member, camille)
    booking = trip_under_way(car, member, NOW - dt.timedelta(hours=2))
    receipts = [
        ReceiptInput(Decimal("150.00"), TODAY, png_upload()),
        ReceiptInput(Decimal("150.01"), TODAY, png_upload()),
    ]
    report = Return(reading=Reading(88_500, 50), receipts=receipts)
    trip = check_in(actor=member, booking=booking, report=report)
    statuses = list(trip.fuel_receipts.order_by("amount").values_list("status", flat=True))
    assert statuses == ["approved", "pending"]
    assert fuel_postings().get().amount == Decimal("150.00")
    association.receipt_approval_threshold = Decimal("0")
    association.save()


def test_the_sole_owner_may_approve_their_own_receipt(association, member):
    car = shared_vehicle(member)
    receipt = pending_receipt(car, member)
    approve_receipt(actor=member, receipt=receipt)
    assert FuelReceipt.objects.get().status == FuelReceipt.Status.APPROVED


def test_an_admin_driving_the_associations_car_waits_for_another_admin(association, admin):
    car = VehicleFactory(association=association, owner_kind=Vehicle.OwnerKind.ASSOCIATION)
    from tests.factories.vehicles import InsurancePolicyFactory, TariffFactory

    InsurancePolicyFactory(vehicle=car)
    TariffFactory(vehicle=car)
    receipt = pending_receipt(car, admin)
    with pytest.raises(ForbiddenError) as error:
        approve_receipt(actor=admin, receipt=receipt)
    assert error.value.code == "receipt_own"
    other_admin = MembershipFactory(association=association, role=Membership.Role.ADMIN)
    approve_receipt(actor=other_admin, receipt=receipt)
    assert fuel_postings().get().driver == admin


def test_a_member_who_neither_owns_nor_administers_cannot_decide(association, member, camille):
    car = co_owned_car(member, camille)
    receipt = pending_receipt(car, member)
    stranger = MembershipFactory(association=association)
    with pytest.raises(ForbiddenError) as error:
        refuse_receipt(actor=stranger, receipt=receipt, reason="Non")
    assert error.value.code == "forbidden"


def test_a_receipt_approved_after_its_period_closed_is_posted_on_the_approval_day(
    association, member, camille, admin
):
    car = co_owned_car(member, camille)
    receipt = pending_receipt(car, member)
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, tzinfo=PARIS), tick=False):
        close_period(association=association, key="2026-11", actor=admin)
        approve_receipt(actor=camille, receipt=receipt)
    posting = fuel_postings().get()
    assert posting.date == dt.date(2026, 12, 3) and posting.amount == Decimal("40.00")
    entry = AuditEntry.objects.get(action="receipt.approve")
    assert entry.data["receipt"] == receipt.pk and entry.actor == camille.user


def test_an_approved_receipt_is_posted_on_its_date_while_the_period_is_open(
    association, member, camille
):
    car = co_owned_car(member, camille)
    receipt = pending_receipt(car, member)
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, tzinfo=PARIS), tick=False):
        approve_receipt(actor=camille, receipt=receipt)
    assert fuel_postings().get().date == TODAY


def test_no_refund_when_the_tariff_does_not_include_fuel(association, member, camille):
    car = co_owned_car(member, camille)
    car.tariffs.update(fuel_policy="refill")
    receipt = pending_receipt(car, member)
    approve_receipt(actor=camille, receipt=receipt)
    assert FuelReceipt.objects.get().status == FuelReceipt.Status.APPROVED
    assert not fuel_postings().exists()


def paper_line(car, driver, days_ago, odometers, amount):
    start = NOW - dt.timedelta(days=days_ago)
    return LogbookLine(
        driver=driver,
        vehicle=car,
        start=start,
        end=start + dt.timedelta(hours=3),
        reading_out=Reading(odometers[0], 60),
        reading_in=Reading(odometers[1], 50),
        receipts=[ReceiptInput(Decimal(amount), start.date())],
    )


def test_an_admin_typing_the_paper_logbook_approves_its_receipts(association, admin, member):
    car = shared_vehicle(admin, member)
    booking = enter_past_trip(actor=admin, line=paper_line(car, member, 2, (1000, 1100), "70.00"))
    receipt = FuelReceipt.objects.get(trip__booking=booking)
    assert receipt.status == FuelReceipt.Status.APPROVED and receipt.decided_by == admin.user
    assert fuel_postings().get().amount == Decimal("70.00")
    too_much = paper_line(car, member, 1, (1100, 1110), "500.00")
    with pytest.raises(DomainError) as error:
        enter_past_trip(actor=admin, line=too_much)
    assert error.value.code == "receipt_above_ceiling"
    assert Booking.objects.count() == 1


def test_the_queue_reads_a_fixed_number_of_queries(association, admin, member, camille):
    car = co_owned_car(member, camille)
    for hours in (30, 20, 10):
        booking = BookingFactory(
            vehicle=car,
            driver=member,
            start=NOW - dt.timedelta(hours=hours),
            status=Booking.Status.COMPLETED,
        )
        trip = Trip.objects.create(
            booking=booking,
            odometer_out=1000,
            fuel_level_out=50,
            checked_out_at=booking.start,
            odometer_in=1010,
            fuel_level_in=50,
            checked_in_at=booking.end,
        )
        FuelReceipt.objects.create(trip=trip, amount="20.00", date=booking.start.date())
    with CaptureQueriesContext(connection) as queries:
        found = receipts_to_decide(admin)
    assert len(found) == 3 and len(queries) == 2
    assert [r.trip.booking.pk for r in receipts_to_decide(camille)] == [
        r.trip.booking.pk for r in found
    ]
    assert receipts_to_decide(member) == []  # the driver's own money, paid by camille


def test_the_pages_list_receipts_with_their_status_and_let_owners_decide(
    client, association, member, camille
):
    car = co_owned_car(member, camille)
    receipt = pending_receipt(car, member)
    client.force_login(camille.user)
    queue = client.get("/testville/receipts/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "40.00" in queue.content.decode() or "40,00" in queue.content.decode()
    url = f"/testville/bookings/{receipt.trip.booking_id}/receipts/{receipt.pk}"
    answer = client.post(f"{url}/refuse/", {"reason": "", "back": "queue"})
    assert answer.status_code == 302 and answer["Location"] == "/testville/receipts/"
    assert FuelReceipt.objects.get().status == FuelReceipt.Status.PENDING
    client.post(f"{url}/refuse/", {"reason": "Pas de ticket", "back": "booking"})
    detail = client.get(
        f"/testville/bookings/{receipt.trip.booking_id}/", HTTP_ACCEPT_LANGUAGE="fr"
    )
    page = detail.content.decode()
    assert "Pas de ticket" in page and "refusé" in page


def test_a_pending_receipt_is_announced_once_to_the_other_owners_and_a_refusal_to_the_driver(
    association, member, camille, admin
):
    from notifications.models import Notification

    car = co_owned_car(member, camille)
    receipt = pending_receipt(car, member)
    told = list(Notification.objects.filter(kind="receipt_pending").values_list("recipient", "key"))
    assert told == [(camille.user_id, f"receipt_pending:receipt:{receipt.pk}")]
    refuse_receipt(actor=camille, receipt=receipt, reason="Ticket illisible")
    refused = Notification.objects.get(kind="receipt_refused")
    assert refused.recipient_id == member.user_id and "Ticket illisible" in refused.body
    assert Notification.objects.filter(kind="receipt_pending").count() == 1


def test_a_pending_receipt_on_the_associations_car_is_announced_to_the_admins(
    association, member, admin
):
    from notifications.models import Notification
    from tests.factories.vehicles import InsurancePolicyFactory, TariffFactory

    car = VehicleFactory(association=association, owner_kind=Vehicle.OwnerKind.ASSOCIATION)
    InsurancePolicyFactory(vehicle=car)
    TariffFactory(vehicle=car)
    from tests.factories.contracts import AgreementFactory

    AgreementFactory(vehicle=car, driver=member)
    pending_receipt(car, member)
    assert list(
        Notification.objects.filter(kind="receipt_pending").values_list("recipient", flat=True)
    ) == [admin.user_id]
