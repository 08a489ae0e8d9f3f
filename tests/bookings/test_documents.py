"""The handover checklist and the driver-designation letter, through contracts' engine."""

import datetime as dt
import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bookings.models import Booking
from tests.bookings.helpers import shared_vehicle
from tests.conftest import require_or_skip
from tests.factories.bookings import BookingFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def pdf_text(body: bytes, tmp_path) -> str:
    require_or_skip(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) missing")
    path = tmp_path / "document.pdf"
    path.write_bytes(body)
    return subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.mark.parametrize("day", [dt.date(2027, 3, 28), dt.date(2026, 10, 25)])
def test_handover_checklist_prints_dst_bookings_at_wall_clock(
    member_client, member, admin, day, tmp_path
):
    vehicle = shared_vehicle(admin, member, name="Clio")
    booking = BookingFactory(
        vehicle=vehicle,
        driver=member,
        start=dt.datetime.combine(day, dt.time(1), tzinfo=PARIS),
        end=dt.datetime.combine(day, dt.time(4), tzinfo=PARIS),
    )
    response = member_client.get(f"/testville/bookings/{booking.pk}/handover.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "01:00" in text or "01 h 00" in text or "1 h 00" in text, text
    assert "04:00" in text or "04 h 00" in text or "4 h 00" in text, text
    assert vehicle.plate in text and member.user.last_name in text


def test_designation_letter_for_managers_names_the_driver(
    admin_client_, member_client, member, admin, tmp_path
):
    vehicle = shared_vehicle(admin, member, name="Clio")
    with time_machine.travel(dt.datetime(2026, 11, 26, 10, tzinfo=PARIS), tick=False):
        booking = BookingFactory(
            vehicle=vehicle,
            driver=member,
            start=dt.datetime(2026, 11, 20, 9, tzinfo=PARIS),
            status=Booking.Status.COMPLETED,
        )
        url = f"/testville/bookings/{booking.pk}/designation/"
        assert member_client.get(url).status_code == 403
        form = admin_client_.get(url + "?moment=2026-11-20T10:12")
        assert form.status_code == 200
        response = admin_client_.get(
            url,
            {
                "moment": "2026-11-20T10:12",
                "notice_number": "9876543210",
                "place": "RD 2089, Pont-du-Château",
                "offence": "Excès de vitesse inférieur à 20 km/h",
            },
        )
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "9876543210" in text and vehicle.plate in text
    assert member.user.last_name.upper() in text and admin.user.display_name in text
