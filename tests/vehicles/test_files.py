"""Uploads: images and PDF only, size-limited, served only through permission checks."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories.members import MembershipFactory
from tests.factories.vehicles import (
    PDF_BYTES,
    PNG_BYTES,
    InsurancePolicyFactory,
    MaintenanceEventFactory,
    VehicleDocumentFactory,
    VehicleFactory,
    owned_vehicle,
    pdf_upload,
    png_upload,
)
from vehicles.models import VehicleDocument

pytestmark = pytest.mark.django_db


def url(name, association, **kwargs):
    return reverse(f"vehicles:{name}", kwargs={"slug": association.slug, **kwargs})


@pytest.fixture
def papers(association, member):
    """A car owned by `member`, with a photo and one file of each private kind."""
    vehicle = owned_vehicle(member, photo=png_upload())
    policy = InsurancePolicyFactory(vehicle=vehicle, is_active=False, certificate=pdf_upload())
    document = VehicleDocumentFactory(vehicle=vehicle, file=pdf_upload())
    event = MaintenanceEventFactory(vehicle=vehicle, receipt=png_upload("ticket.png"))
    return {
        "photo": url("photo", association, pk=vehicle.pk),
        "certificate": url("policy_certificate", association, pk=vehicle.pk, policy_pk=policy.pk),
        "document": url("document_file", association, pk=vehicle.pk, document_pk=document.pk),
        "receipt": url("maintenance_receipt", association, pk=vehicle.pk, event_pk=event.pk),
    }


def _client(client, membership):
    client.force_login(membership.user)
    return client


def test_the_photo_is_served_to_members_as_a_private_image(client, association, papers):
    someone = MembershipFactory(association=association)
    response = _client(client, someone).get(papers["photo"])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PNG_BYTES


@pytest.mark.parametrize("kind", ["certificate", "document", "receipt"])
def test_papers_are_served_to_the_owner_and_admins_only(
    client, association, member, admin, papers, kind
):
    assert _client(client, member).get(papers[kind]).status_code == 200
    assert _client(client, admin).get(papers[kind]).status_code == 200
    someone = MembershipFactory(association=association)
    assert _client(client, someone).get(papers[kind]).status_code == 403


@pytest.mark.parametrize("kind", ["photo", "certificate", "document", "receipt"])
def test_an_outsider_gets_404_for_every_file(client, outsider, papers, kind):
    assert _client(client, outsider).get(papers[kind]).status_code == 404
    # even through their own association's address
    own = papers[kind].replace("/testville/", f"/{outsider.association.slug}/")
    assert _client(client, outsider).get(own).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, papers):
    response = client.get(papers["document"])
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_pdf_is_served_with_its_type_and_a_neutral_name(client, member, papers):
    response = _client(client, member).get(papers["certificate"])
    assert response["Content-Type"] == "application/pdf"
    assert "assurance.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_a_file_of_one_vehicle_is_not_served_through_another(client, association, member, papers):
    other = owned_vehicle(member)
    document = VehicleDocument.objects.get()
    wrong = url("document_file", association, pk=other.pk, document_pk=document.pk)
    assert _client(client, member).get(wrong).status_code == 404


def test_a_car_without_photo_answers_404(client, association, member):
    vehicle = VehicleFactory(association=association)
    assert _client(client, member).get(url("photo", association, pk=vehicle.pk)).status_code == 404


def _document_post(client, association, vehicle, upload):
    return client.post(
        url("document_add", association, pk=vehicle.pk),
        {"kind": "registration", "file": upload, "issued_on": "2020-01-01"},
    )


def test_a_pdf_and_an_image_are_accepted_as_documents(client, association, member):
    vehicle = owned_vehicle(member)
    _client(client, member)
    assert _document_post(client, association, vehicle, pdf_upload()).status_code == 302
    assert _document_post(client, association, vehicle, png_upload()).status_code == 302
    assert vehicle.documents.count() == 2
    stored = vehicle.documents.first().file.name
    assert stored.startswith("private/vehicledocument/") and "scan" not in stored


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("notes.txt", b"just some text", content_type="text/plain"),
        SimpleUploadedFile("fake.pdf", b"<html>not a pdf</html>", content_type="application/pdf"),
        SimpleUploadedFile("page.html", b"<script>alert(1)</script>", content_type="text/html"),
    ],
)
def test_other_files_are_refused(client, association, member, upload):
    vehicle = owned_vehicle(member)
    response = _document_post(_client(client, member), association, vehicle, upload)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not vehicle.documents.exists()


def test_a_file_over_the_limit_is_refused(client, association, member, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    vehicle = owned_vehicle(member)
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 2048, content_type="application/pdf")
    response = _document_post(_client(client, member), association, vehicle, big)
    assert response.status_code == 200
    assert "1024" not in response.context["form"].errors["file"][0]  # says MB, not bytes
    assert not vehicle.documents.exists()


def test_the_photo_must_be_an_image(client, association, member):
    from tests.vehicles.test_views import vehicle_form

    vehicle = owned_vehicle(member)
    data = vehicle_form(plate=vehicle.plate, photo=pdf_upload())
    response = _client(client, member).post(url("edit", association, pk=vehicle.pk), data)
    assert response.status_code == 200
    assert response.context["form"].errors["photo"]
    vehicle.refresh_from_db()
    assert not vehicle.photo


def test_a_maintenance_receipt_is_uploaded_with_the_event(client, association, member):
    vehicle = owned_vehicle(member)
    response = _client(client, member).post(
        reverse("ledger:maintenance_add", kwargs={"slug": association.slug, "pk": vehicle.pk}),
        {"date": "2026-02-01", "kind": "repair", "cost": "120.50", "receipt": pdf_upload()},
    )
    assert response.status_code == 302
    event = vehicle.maintenance.get()
    receipt = url("maintenance_receipt", association, pk=vehicle.pk, event_pk=event.pk)
    assert client.get(receipt).status_code == 200


def test_a_stored_photo_lost_by_the_storage_does_not_break_editing(client, association, member):
    from tests.vehicles.test_views import vehicle_form

    vehicle = owned_vehicle(member, photo=png_upload())
    vehicle.photo.storage.delete(vehicle.photo.name)
    _client(client, member)
    data = vehicle_form(plate=vehicle.plate, name="Renamed")
    assert client.post(url("edit", association, pk=vehicle.pk), data).status_code == 302
    vehicle.refresh_from_db()
    assert vehicle.name == "Renamed"
    assert client.get(url("photo", association, pk=vehicle.pk)).status_code == 404
