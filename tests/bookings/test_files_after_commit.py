"""Files after commit: a check-in refused after its photos were written leaves no file."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.storage import default_storage

from bookings.models import Booking, FuelReceipt, IncidentPhoto, TripPhoto
from bookings.services.trips import Reading, ReceiptInput, Return, check_in, check_out
from core.errors import DomainError
from tests.bookings.helpers import shared_vehicle
from tests.factories.bookings import BookingFactory
from tests.factories.vehicles import png_upload
from vehicles.models import Tariff

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)


def stored(model) -> list[str]:
    """The files in the storage folder of a model's uploads (core.files.private_upload_path)."""
    try:
        return default_storage.listdir(f"private/{model._meta.model_name}")[1]
    except FileNotFoundError:  # the local storage never created the folder
        return []


def report() -> Return:
    return Return(
        reading=Reading(10_120, 40),
        receipts=[ReceiptInput(Decimal("30.00"), NOW.date(), png_upload("ticket.png"))],
        photos=[png_upload("front.png"), png_upload("back.png")],
        damage_photos=[png_upload("scratch.png")],
        damage="Rayure sur la portière",
    )


@pytest.fixture
def under_way(admin, member):
    vehicle = shared_vehicle(admin, member)
    booking = BookingFactory(vehicle=vehicle, driver=member, start=NOW - dt.timedelta(hours=2))
    with time_machine.travel(NOW - dt.timedelta(hours=2), tick=False):
        check_out(actor=member, booking=booking, reading=Reading(10_000, 60))
    return booking


@time_machine.travel(NOW, tick=False)
def test_a_refused_check_in_leaves_no_file_and_a_committed_one_keeps_them(member, under_way):
    saved_tariffs = list(Tariff.objects.filter(vehicle=under_way.vehicle))
    Tariff.objects.filter(vehicle=under_way.vehicle).delete()  # the posting will refuse
    with pytest.raises(DomainError) as refused:
        check_in(actor=member, booking=under_way, report=report())
    # Refused by the ledger, after the photos and the receipt were written.
    assert refused.value.code == "no_tariff"
    assert stored(TripPhoto) == stored(FuelReceipt) == stored(IncidentPhoto) == []
    assert not TripPhoto.objects.exists() and not FuelReceipt.objects.exists()
    assert not IncidentPhoto.objects.exists()
    assert Booking.objects.get(pk=under_way.pk).status == Booking.Status.IN_PROGRESS

    for tariff in saved_tariffs:
        tariff.save()
    trip = check_in(actor=member, booking=under_way, report=report())
    names = {photo.file.name.rsplit("/", 1)[1] for photo in trip.photos.all()}
    assert len(names) == 2 and set(stored(TripPhoto)) == names
    # The damage note opened an incident, which holds the damage photo.
    damage = IncidentPhoto.objects.get()
    assert stored(IncidentPhoto) == [damage.file.name.rsplit("/", 1)[1]]
    assert stored(FuelReceipt) == [trip.fuel_receipts.get().photo.name.rsplit("/", 1)[1]]
