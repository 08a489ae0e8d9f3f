"""The whole logbook page: up to 25 trips of one car in one submission, all or none."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bookings.models import Booking, FuelReceipt, Trip
from bookings.services.logbook import LogbookLine, LogbookPageRefused, enter_logbook_page
from bookings.services.trips import Reading
from core.errors import DomainError
from tests.bookings.helpers import shared_vehicle
from tests.bookings.logbook_helpers import logbook_page, trip
from tests.factories.members import DriverProfileFactory, MembershipFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def second(association):
    membership = MembershipFactory(association=association)
    DriverProfileFactory(user=membership.user)
    return membership


@pytest.fixture
def vehicle(admin, member, second):
    return shared_vehicle(admin, member, second, name="Kangoo")


URL = "/testville/logbook/new/"


def _errors(response):
    formset = response.context["formset"]
    messages = [str(m) for m in response.context["messages"]]
    return messages, formset.non_form_errors(), [f.errors for f in formset.forms if f.errors]


def test_a_page_of_trips_is_saved_in_one_submission_with_the_odometer_chained(
    admin_client_, vehicle, member, second
):
    page = logbook_page(
        vehicle,
        trip(member, 2, (9, 12), ("10000", "10040")),
        trip(second, 3, (14, 18), ("", "10100"), receipt_1="45,50", receipt_2="12"),
        trip(member, 5, (8, 9), ("", "10115"), note="Marché"),
    )
    page["line-1-photo_1"] = SimpleUploadedFile("ticket.png", PNG, content_type="image/png")
    response = admin_client_.post(URL, page, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302, _errors(response)
    assert response["Location"] == f"{URL}?vehicle={vehicle.pk}"
    trips = list(Trip.objects.order_by("booking__start"))
    assert [(t.odometer_out, t.odometer_in) for t in trips] == [
        (10000, 10040),
        (10040, 10100),
        (10100, 10115),
    ]
    assert all(t.from_paper_logbook and t.odometer_gap_km is None for t in trips)
    assert [t.booking.driver for t in trips] == [member, second, member]
    receipts = FuelReceipt.objects.filter(trip=trips[1]).order_by("amount")
    assert [r.amount for r in receipts] == [Decimal("12.00"), Decimal("45.50")]
    assert receipts[1].photo and not receipts[0].photo
    assert receipts[0].date == dt.date(2026, 11, 3)
    assert trips[2].booking.note == "Marché"
    assert set(Booking.objects.values_list("status", flat=True)) == {"completed"}


def test_one_wrong_line_saves_nothing_and_says_so_on_its_line(admin_client_, vehicle, member):
    page = logbook_page(
        vehicle,
        trip(member, 2, (9, 12), ("10000", "10040")),
        trip(member, 3, (9, 12), ("10020", "10080")),  # reads less than line 1's return
        trip(member, 4, (9, 12), ("10080", "10090")),
    )
    response = admin_client_.post(URL, page, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    forms = response.context["formset"].forms
    assert not forms[0].errors and not forms[2].errors
    assert "ne peut pas indiquer moins" in " ".join(forms[1].non_field_errors())
    assert not Booking.objects.exists() and not Trip.objects.exists()
    # What was typed is shown again, for the admin to correct the one line.
    assert 'value="10020"' in response.content.decode()


def test_a_line_left_out_is_neither_checked_nor_saved(admin_client_, vehicle, member):
    page = logbook_page(
        vehicle,
        trip(member, 2, (9, 12), ("10000", "10040")),
        trip(member, 3, (9, 12), ("abc", "10080"), leave_out="on"),
        trip(member, 4, (9, 12), ("10040", "10090")),
    )
    assert admin_client_.post(URL, page).status_code == 302
    assert list(Trip.objects.order_by("odometer_out").values_list("odometer_out", flat=True)) == [
        10000,
        10040,
    ]


def test_an_invalid_cell_saves_nothing(admin_client_, vehicle, member):
    page = logbook_page(
        vehicle,
        trip(member, 2, (9, 12), ("10000", "10040")),
        trip(member, 3, (12, 9), ("10040", "10080")),  # back before it left
    )
    response = admin_client_.post(URL, page, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors["end"]
    assert not Booking.objects.exists()


def test_the_first_line_starts_from_the_cars_last_reading(admin_client_, vehicle, member):
    admin_client_.post(URL, logbook_page(vehicle, trip(member, 2, (9, 12), ("10000", "10040"))))
    page = admin_client_.get(URL, {"vehicle": vehicle.pk})
    forms = page.context["formset"].forms
    assert forms[0]["odometer_out"].value() == 10040
    assert forms[1]["odometer_out"].value() is None
    assert len(forms) == 25
    # The next page chains on without typing the first reading.
    follow = logbook_page(vehicle, trip(member, 6, (9, 10), ("", "10060")))
    assert admin_client_.post(URL, follow).status_code == 302
    assert Trip.objects.get(odometer_in=10060).odometer_out == 10040


def test_only_active_members_are_offered_as_drivers(admin_client_, vehicle, association):
    pending = MembershipFactory(association=association, status="pending")
    drivers = admin_client_.get(URL).context["formset"].forms[0].fields["driver"].queryset
    assert pending not in drivers and drivers.exists()


def test_the_page_is_linked_from_the_admins_navigation(admin_client_, member_client):
    assert f'href="{URL}"' in admin_client_.get("/testville/planning/").content.decode()
    assert f'href="{URL}"' not in member_client.get("/testville/planning/").content.decode()


def test_the_service_keeps_every_line_or_none(admin, vehicle, member):
    def line(day, out, back):
        start = dt.datetime(2026, 11, day, 9, tzinfo=PARIS)
        return LogbookLine(
            driver=member,
            vehicle=vehicle,
            start=start,
            end=start + dt.timedelta(hours=2),
            reading_out=Reading(out, 50),
            reading_in=Reading(back, 50),
        )

    with pytest.raises(LogbookPageRefused) as refused:
        enter_logbook_page(actor=admin, lines=[line(2, 100, 150), line(3, 150, 140)])
    assert set(refused.value.refusals) == {1}
    assert refused.value.extra["lines"] == [1]
    assert not Booking.objects.exists()
    # Given out of order, the lines are still chained by their start.
    saved = enter_logbook_page(actor=admin, lines=[line(4, 150, 170), line(3, 100, 150)])
    assert [b.start.day for b in saved] == [4, 3]
    with pytest.raises(DomainError) as too_many:
        enter_logbook_page(actor=admin, lines=[line(d, 0, 0) for d in range(1, 27)])
    assert too_many.value.code == "logbook_page_size"


def test_the_printed_sheet_has_the_columns_of_the_screen(admin_client_, vehicle, tmp_path):
    from tests.bookings.test_documents import pdf_text

    response = admin_client_.get(
        reverse("contracts:logbook", kwargs={"slug": "testville", "vehicle_pk": vehicle.pk})
    )
    text = pdf_text(response.content, tmp_path)
    headers = [
        "Conducteur",
        "Départ",
        "Retour",
        "Km au départ",
        "Km au retour",
        "Carburant ou charge au retour (%)",
        "Tickets (€)",
        "Observations",
    ]
    positions = [text.find(header) for header in headers]
    assert -1 not in positions and positions == sorted(positions), positions
    screen = admin_client_.get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    columns = ["Conducteur", "Départ", "Retour", "Km au départ", "Km au retour"]
    places = [screen.find(f">{c}<") for c in columns]
    assert -1 not in places and places == sorted(places), places


def test_the_odometer_copied_into_the_line_after_the_last_trip_leaves_it_empty(
    admin_client_, vehicle, member
):
    """The page's script copies each return into the next line's departure; the line after
    the last trip then holds only that number and is not a trip (found typing 12 lines in
    tests/browser/test_admin_month.py)."""
    page = logbook_page(
        vehicle,
        trip(member, 2, (9, 12), ("10000", "10040")),
        {"odometer_out": "10040"},
    )
    response = admin_client_.post(URL, page, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302, _errors(response)
    assert Trip.objects.count() == 1
