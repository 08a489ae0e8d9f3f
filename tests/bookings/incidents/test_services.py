import datetime as dt
from decimal import Decimal

import pytest

from bookings.models import Booking, Incident, IncidentPhoto, IncidentReply
from bookings.services.incidents import (
    Assessment,
    Report,
    add_incident_photos,
    assess_incident,
    confirm_already_there,
    reply_to_incident,
    report_incident,
)
from core.errors import ConflictError, DomainError, ForbiddenError
from members.models import AuditEntry
from tests.bookings.incidents.conftest import NOW
from tests.factories.bookings import BookingFactory
from tests.factories.members import MembershipFactory
from tests.factories.vehicles import png_upload

pytestmark = pytest.mark.django_db


def _report(actor, vehicle, **kwargs):
    values = {"kind": Incident.Kind.SCRATCH, "description": "Rayure sur la portière"} | kwargs
    return report_incident(actor=actor, report=Report(vehicle=vehicle, **values))


def test_a_member_reports_a_scratch_with_photos(driver, clio):
    incident = _report(driver, clio, photos=[png_upload(), png_upload("b.png")])
    assert incident.status == Incident.Status.REPORTED
    assert incident.reported_by == driver and incident.reported_at == NOW
    assert incident.photos.count() == 2
    assert AuditEntry.objects.filter(action="incident.report", target_id=str(incident.pk)).exists()


def test_an_incident_of_a_trip_names_its_booking(driver, clio, trip):
    incident = _report(driver, clio, booking=trip.booking)
    assert incident.booking == trip.booking


def test_a_booking_of_another_car_is_refused(driver, clio, association):
    other = BookingFactory(vehicle__association=association, driver=driver)
    with pytest.raises(DomainError) as error:
        _report(driver, clio, booking=other)
    assert error.value.code == "booking_vehicle"


def test_a_stranger_to_the_trip_cannot_attach_it(association, clio, trip):
    neighbour = MembershipFactory(association=association)
    with pytest.raises(ForbiddenError):
        _report(neighbour, clio, booking=trip.booking)


def test_a_car_of_another_association_is_refused(outsider, clio):
    with pytest.raises(ForbiddenError):
        _report(outsider, clio)


@pytest.mark.parametrize(
    ("kind", "description", "code"),
    [
        ("meteor", "x", "kind"),
        ("dent", "  ", "description_required"),
        ("dent", "x" * 4001, "description_required"),
    ],
)
def test_bad_reports_are_refused_and_write_nothing(driver, clio, kind, description, code):
    with pytest.raises(DomainError) as error:
        _report(driver, clio, kind=kind, description=description)
    assert error.value.code == code
    assert not Incident.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(driver, clio):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(DomainError) as error:
        _report(driver, clio, photos=[SimpleUploadedFile("a.png", b"<script>")])
    assert error.value.code == "file_invalid"
    assert not Incident.objects.exists()


def test_an_incident_cannot_be_dated_in_the_future(driver, clio):
    incident = _report(driver, clio, occurred_at=NOW + dt.timedelta(days=3))
    assert incident.occurred_at == NOW


def test_the_driver_replies_until_the_decision(driver, clio, trip, admin):
    incident = _report(admin, clio, booking=trip.booking)
    reply = reply_to_incident(actor=driver, incident=incident, body="La rayure était déjà là.")
    assert IncidentReply.objects.get() == reply
    Incident.objects.filter(pk=incident.pk).update(status=Incident.Status.CLOSED)
    with pytest.raises(ConflictError):
        reply_to_incident(actor=driver, incident=incident, body="Encore un mot")


def test_a_member_not_involved_cannot_reply(association, clio, driver):
    incident = _report(driver, clio)
    neighbour = MembershipFactory(association=association)
    with pytest.raises(ForbiddenError):
        reply_to_incident(actor=neighbour, incident=incident, body="Je m'en mêle")


def test_an_empty_reply_is_refused(driver, clio):
    incident = _report(driver, clio)
    with pytest.raises(DomainError) as error:
        reply_to_incident(actor=driver, incident=incident, body="   ")
    assert error.value.code == "reply_required"


def test_photos_are_added_to_an_open_incident(driver, clio):
    incident = _report(driver, clio)
    add_incident_photos(actor=driver, incident=incident, photos=[png_upload()])
    assert incident.photos.count() == 1


def test_already_there_links_the_incident_to_the_next_departure_once(
    association, owner, clio, driver
):
    incident = _report(owner, clio)
    next_driver = MembershipFactory(association=association)
    booking = BookingFactory(vehicle=clio, driver=next_driver, start=NOW + dt.timedelta(minutes=30))
    confirm_already_there(actor=next_driver, incident=incident, booking=booking, photo=png_upload())
    confirm_already_there(actor=next_driver, incident=incident, booking=booking)
    assert incident.sightings.get().booking == booking
    photo = incident.photos.get(stage=IncidentPhoto.Stage.ALREADY_THERE)
    assert photo.booking == booking


def test_already_there_needs_a_booking_at_departure(association, owner, clio):
    incident = _report(owner, clio)
    booking = BookingFactory(vehicle=clio, status=Booking.Status.COMPLETED)
    with pytest.raises(ConflictError):
        confirm_already_there(actor=booking.driver, incident=incident, booking=booking)


def test_already_there_is_for_the_booking_s_own_driver(association, owner, clio, driver):
    incident = _report(owner, clio)
    booking = BookingFactory(vehicle=clio, driver=MembershipFactory(association=association))
    with pytest.raises(ForbiddenError):
        confirm_already_there(actor=driver, incident=incident, booking=booking)


def test_the_owner_assesses_with_a_quote(owner, clio, driver):
    incident = _report(driver, clio)
    from tests.factories.vehicles import pdf_upload

    assessed = assess_incident(
        actor=owner,
        incident=incident,
        assessment=Assessment(
            kind=Incident.Kind.DENT,
            repair_cost=Decimal("480.00"),
            document_kind="quote",
            document=pdf_upload(),
            insurer_involved=False,
        ),
    )
    assert assessed.status == Incident.Status.ASSESSED and assessed.kind == "dent"
    assert str(assessed.repair_cost) == "480.00" and assessed.repair_document


def test_the_driver_cannot_assess(driver, clio):
    incident = _report(driver, clio)
    with pytest.raises(ForbiddenError):
        assess_incident(
            actor=driver,
            incident=incident,
            assessment=Assessment(kind="dent", repair_cost=None),
        )


def test_an_absurd_repair_cost_is_refused(owner, clio, driver):

    incident = _report(driver, clio)
    with pytest.raises(DomainError) as error:
        assess_incident(
            actor=owner,
            incident=incident,
            assessment=Assessment(kind="dent", repair_cost=Decimal("-5")),
        )
    assert error.value.code == "repair_cost"
