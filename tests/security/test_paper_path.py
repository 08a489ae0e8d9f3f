"""The paper path follows the same rules: an admin's logbook entry is checked by the
eligibility service and may only override a refusal explicitly, with a reason that is
audited and shown; the designation letter states an agreement only when one existed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bookings.models import Booking, Trip
from members.models import AuditEntry
from tests.bookings.logbook_helpers import logbook_page, trip
from tests.bookings.test_documents import pdf_text
from tests.factories.bookings import BookingFactory
from tests.factories.contracts import AgreementFactory
from tests.security.helpers import co_owned_car, driver

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=PARIS)
REASON = "Trajet validé par le bureau : Léa accompagnée de Camille, assureur prévenu"
AGREEMENT_SENTENCE = "contrat d'autopartage"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def camille(association):
    return driver(association)


@pytest.fixture
def lea(association):
    """19 years old, licence obtained 10 months ago, no agreement for the car."""
    return driver(
        association, birth_date=dt.date(2007, 9, 3), licence_issued_on=dt.date(2026, 1, 20)
    )


@pytest.fixture
def kangoo(camille, admin):
    return co_owned_car(camille, admin, name="Kangoo")


def logbook_line(kangoo, lea, **extra):
    line = trip(lea, 20, (9, 12), ("88010", "88060"), **extra)
    return logbook_page(kangoo, line)


def test_a_young_drivers_logbook_trip_is_refused_then_overridden_with_an_audited_reason(
    admin_client_, kangoo, lea
):
    url = "/testville/logbook/new/"
    refused = admin_client_.post(url, logbook_line(kangoo, lea), HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.status_code == 200
    errors = " ".join(refused.context["formset"].forms[0].non_field_errors())
    assert "L'assurance de ce véhicule" in errors, errors
    assert not Booking.objects.exists()
    # ticking the override without a reason is not enough
    no_reason = admin_client_.post(
        url, logbook_line(kangoo, lea, override="on"), HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert no_reason.status_code == 200 and not Booking.objects.exists()
    overridden = admin_client_.post(
        url, logbook_line(kangoo, lea, override="on", override_reason=REASON)
    )
    assert overridden.status_code == 302
    booking = Booking.objects.get()
    entry = AuditEntry.objects.get(action="trip.eligibility_override")
    assert entry.target_id == str(booking.pk)
    assert entry.data["reason"] == REASON
    assert set(entry.data["reasons"]) >= {"young_driver_forbidden", "no_agreement"}
    page = admin_client_.get(f"/testville/bookings/{booking.pk}/", HTTP_ACCEPT_LANGUAGE="fr")
    # Shown with French typography (a no-break space before ":"), as typed otherwise.
    assert REASON in " ".join(page.content.decode().split())


def designation(admin_client_, booking):
    return admin_client_.get(
        f"/testville/bookings/{booking.pk}/designation/",
        {
            "moment": "2026-11-20T10:12",
            "notice_number": "9876543210",
            "place": "RD 2089, Pont-du-Château",
            "offence": "Excès de vitesse inférieur à 20 km/h",
        },
    )


def paper_trip(kangoo, who):
    booking = BookingFactory(
        vehicle=kangoo,
        driver=who,
        start=dt.datetime(2026, 11, 20, 9, tzinfo=PARIS),
        status=Booking.Status.COMPLETED,
    )
    Trip.objects.create(
        booking=booking,
        odometer_out=88_010,
        fuel_level_out=70,
        checked_out_at=booking.start,
        odometer_in=88_060,
        fuel_level_in=60,
        checked_in_at=booking.end,
        from_paper_logbook=True,
    )
    return booking


def test_the_designation_letter_states_an_agreement_only_when_one_existed_at_the_trip(
    admin_client_, kangoo, lea, tmp_path
):
    booking = paper_trip(kangoo, lea)
    response = designation(admin_client_, booking)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert lea.user.last_name.upper() in text
    assert AGREEMENT_SENTENCE not in text, text
    # signed after the trip: still not at the trip's date
    late = AgreementFactory(vehicle=kangoo, driver=lea, signed_on=dt.date(2026, 11, 24))
    text = pdf_text(designation(admin_client_, booking).content, tmp_path)
    assert AGREEMENT_SENTENCE not in text, text
    # signed before the trip
    late.signed_on = dt.date(2026, 10, 2)
    late.save()
    text = pdf_text(designation(admin_client_, booking).content, tmp_path)
    assert AGREEMENT_SENTENCE in text and "2 octobre 2026" in text, text


def test_only_the_associations_admins_enter_a_paper_trip_or_override(
    client, kangoo, lea, camille, outsider
):
    from members.models import Membership
    from tests.factories.members import MembershipFactory

    other_admin = MembershipFactory(association=outsider.association, role=Membership.Role.ADMIN)
    line = logbook_line(kangoo, lea, override="on", override_reason=REASON)
    for who, status in ((lea, 403), (camille, 403), (other_admin, 404)):
        client.force_login(who.user)
        assert client.post("/testville/logbook/new/", line).status_code == status, who
    client.logout()
    answer = client.post("/testville/logbook/new/", line)
    assert answer.status_code == 302 and "/accounts/login/" in answer.url
    assert not Booking.objects.exists()
    assert not AuditEntry.objects.filter(action="trip.eligibility_override").exists()
