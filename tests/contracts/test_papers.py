"""Legal papers carry the postal addresses, in French, tagged for screen readers; the
driver-designation letter names the real holders and refuses to print with a blank."""

import datetime as dt
import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest
import time_machine
from knox.models import AuthToken
from rest_framework.test import APIClient

from bookings.models import Booking
from contracts.services import generate_agreement
from members.models import DriverProfile
from tests.bookings.helpers import shared_vehicle
from tests.bookings.test_documents import pdf_text
from tests.conftest import require_or_skip
from tests.factories.bookings import BookingFactory
from tests.factories.members import DriverProfileFactory, MembershipFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOTICE = {
    "moment": "2026-11-20T10:12",
    "notice_number": "9876543210",
    "place": "RD 2089, Pont-du-Château",
    "offence": "Excès de vitesse",
}


def pdfinfo(body: bytes, tmp_path) -> dict[str, str]:
    require_or_skip(shutil.which("pdfinfo") is not None, "pdfinfo (poppler-utils) missing")
    path = tmp_path / "info.pdf"
    path.write_bytes(body)
    out = subprocess.run(  # noqa: S603
        ["pdfinfo", str(path)],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 11, 26, 10, tzinfo=PARIS), tick=False):
        yield


@pytest.fixture
def bruno(association):
    membership = MembershipFactory(
        association=association,
        user__first_name="Bruno",
        user__last_name="Lefèvre",
        user__street="3 rue des Vignes",
        user__postcode="63000",
        user__town="Villerouge",
    )
    DriverProfileFactory(user=membership.user, birth_place="Thiers (Puy-de-Dôme)")
    return membership


@pytest.fixture
def kangoo(admin, bruno):
    return shared_vehicle(admin, bruno, name="Kangoo")


def _trip(kangoo, driver):
    return BookingFactory(
        vehicle=kangoo,
        driver=driver,
        start=dt.datetime(2026, 11, 20, 9, tzinfo=PARIS),
        status=Booking.Status.COMPLETED,
    )


def test_the_agreement_shows_the_address_in_french_and_is_tagged(
    admin, bruno, kangoo, tmp_path, client
):
    agreement = generate_agreement(actor=admin, vehicle=kangoo, driver=bruno)
    body = agreement.pdf.read()
    text = " ".join(pdf_text(body, tmp_path).split())
    assert "3 rue des Vignes, 63000 Villerouge" in text
    assert "Thiers (Puy-de-Dôme)" in text
    info = pdfinfo(body, tmp_path)
    assert info["Tagged"] == "yes"
    assert "agreement" not in info["Title"].lower()  # French, whoever printed it


def test_the_designation_letter_names_the_driver_and_the_holder_with_their_addresses(
    admin, bruno, kangoo, tmp_path
):
    admin.user.street, admin.user.postcode, admin.user.town = (
        "8 place de l'Église",
        "63000",
        "Villerouge",
    )
    admin.user.save()
    booking = _trip(kangoo, bruno)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(admin.user)[1]}")
    response = client.get(
        f"/api/v1/associations/testville/bookings/{booking.pk}/designation/",
        NOTICE,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200, response.content[:300]
    text = " ".join(pdf_text(response.content, tmp_path).split())
    assert "3 rue des Vignes, 63000 Villerouge" in text  # the driver
    assert "8 place de l'Église, 63000 Villerouge" in text  # the holder, the car's owner
    assert "Maison des associations" not in text  # not the association's address
    assert pdfinfo(response.content, tmp_path)["Tagged"] == "yes"


def test_a_driver_without_an_address_gets_no_designation_letter_and_the_reason(
    admin, bruno, kangoo
):
    bruno.user.street = bruno.user.postcode = bruno.user.town = ""
    bruno.user.save()
    DriverProfile.objects.filter(user=bruno.user).update(birth_place="")
    booking = _trip(kangoo, bruno)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(admin.user)[1]}")
    response = client.get(
        f"/api/v1/associations/testville/bookings/{booking.pk}/designation/",
        NOTICE,
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "document_incomplete"
    assert set(body["missing"]) == {"driver.address", "driver.birth_place"}
    assert "l’adresse postale de Bruno Lefèvre" in body["detail"] or (
        "l’adresse postale de Bruno Lefèvre" in str(body)
    )
