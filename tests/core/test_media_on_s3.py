"""Uploads and downloads with the media on an S3-API server (moto's, started by `.ci/run`):
every kind of private file is stored as an object of the bucket, with no public grant, and
comes back byte for byte through its permission-checked view (streamed by Django: there is
no MEDIA_URL and no pre-signed URL). Backups read and restore the bucket's files.

These run in both CI passes; the PostgreSQL pass moreover runs the whole suite with its
media on the server (TEST_MEDIA_STORAGE=s3). Outside CI they are skipped, with the reason,
when no server answers at S3_TEST_ENDPOINT.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.test import Client
from django.urls import reverse

from bookings.services.trips import Reading, ReceiptInput, Return, check_in, check_out
from contracts.services import generate_agreement, save_template_version
from core.backups.archive import BackupError
from core.backups.backup import create_backup
from core.backups.databases import SqliteDatabase
from core.backups.restore import restore_backup
from core.env import parse_media_storage_url
from ledger.services import member_account, post_expense
from tests.bookings.helpers import shared_vehicle
from tests.conftest import s3_media_storage_url
from tests.factories.bookings import BookingFactory
from tests.factories.ledger import platform
from tests.factories.vehicles import (
    PDF_BYTES,
    PNG_BYTES,
    InsurancePolicyFactory,
    MaintenanceEventFactory,
    VehicleDocumentFactory,
    owned_vehicle,
    pdf_upload,
    png_upload,
)

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)


def client_for(membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


def served(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Cache-Control"] == "private, no-store"
    return b"".join(response.streaming_content)


def assert_private_object(s3_media, name: str, data: bytes) -> None:
    """`name` is an object of the test bucket holding `data`, granted to nobody but its owner."""
    key = s3_media.key(name)
    assert s3_media.client.get_object(Bucket=s3_media.bucket, Key=key)["Body"].read() == data
    grants = s3_media.client.get_object_acl(Bucket=s3_media.bucket, Key=key)["Grants"]
    assert [grant["Grantee"]["Type"] for grant in grants] == ["CanonicalUser"]


def test_the_media_are_objects_of_the_bucket_with_no_local_path(s3_media):
    name = default_storage.save("private/probe/x.pdf", ContentFile(PDF_BYTES))
    assert type(storages["default"]).__name__ == "S3Storage"
    assert_private_object(s3_media, name, PDF_BYTES)
    with pytest.raises(NotImplementedError):
        default_storage.path(name)
    assert default_storage.save("private/probe/x.pdf", ContentFile(b"%PDF-2")) != name


def test_a_licence_scan_uploaded_on_the_page(s3_media, member, admin, outsider):
    page = reverse("account:driver_profile")
    form = {"birth_date": "1990-02-03", "licence_number": "AB1", "licence_issued_on": "2010-01-04"}
    scan = png_upload("permis.png")
    assert client_for(member).post(page, {**form, "licence_scan": scan}).status_code == 302

    assert served(client_for(member), reverse("account:licence_scan")) == PNG_BYTES
    admin_view = reverse(
        "members:licence_scan", kwargs={"slug": member.association.slug, "pk": member.pk}
    )
    assert served(client_for(admin), admin_view) == PNG_BYTES
    assert client_for(outsider).get(admin_view).status_code == 404
    member.user.driver_profile.refresh_from_db()
    assert_private_object(s3_media, member.user.driver_profile.licence_scan.name, PNG_BYTES)


def test_check_out_and_check_in_photos_and_a_fuel_receipt(
    s3_media, admin, member, outsider, django_capture_on_commit_callbacks
):
    vehicle = shared_vehicle(admin, member)
    with time_machine.travel(NOW, tick=False):
        booking = BookingFactory(vehicle=vehicle, driver=member, start=NOW)
        with django_capture_on_commit_callbacks(execute=True):
            check_out(
                actor=member, booking=booking, reading=Reading(1000, 60), photos=[png_upload()]
            )
            receipt = ReceiptInput(Decimal("30.00"), NOW.date(), photo=pdf_upload("ticket.pdf"))
            report = Return(reading=Reading(1040, 50), receipts=[receipt], photos=[png_upload()])
            trip = check_in(actor=member, booking=booking, report=report)

    slug, pk = vehicle.association.slug, booking.pk
    photos = [
        reverse("bookings:trip_photo", kwargs={"slug": slug, "pk": pk, "photo_id": photo.pk})
        for photo in trip.photos.all()
    ]
    fuel = trip.fuel_receipts.get()
    receipt_url = reverse(
        "bookings:receipt_photo", kwargs={"slug": slug, "pk": pk, "receipt_id": fuel.pk}
    )
    assert len(photos) == 2
    assert [served(client_for(member), url) for url in photos] == [PNG_BYTES, PNG_BYTES]
    assert served(client_for(admin), receipt_url) == PDF_BYTES
    assert client_for(outsider).get(receipt_url).status_code == 404
    assert_private_object(s3_media, fuel.photo.name, PDF_BYTES)


def test_vehicle_papers(s3_media, association, member):
    vehicle = owned_vehicle(member, photo=png_upload())
    policy = InsurancePolicyFactory(vehicle=vehicle, is_active=False, certificate=pdf_upload())
    document = VehicleDocumentFactory(vehicle=vehicle, file=pdf_upload())
    event = MaintenanceEventFactory(vehicle=vehicle, receipt=png_upload("ticket.png"))
    slug, pk = association.slug, vehicle.pk
    urls = {
        reverse("vehicles:photo", kwargs={"slug": slug, "pk": pk}): PNG_BYTES,
        reverse(
            "vehicles:policy_certificate", kwargs={"slug": slug, "pk": pk, "policy_pk": policy.pk}
        ): PDF_BYTES,
        reverse(
            "vehicles:document_file", kwargs={"slug": slug, "pk": pk, "document_pk": document.pk}
        ): PDF_BYTES,
        reverse(
            "vehicles:maintenance_receipt", kwargs={"slug": slug, "pk": pk, "event_pk": event.pk}
        ): PNG_BYTES,
    }
    client = client_for(member)
    assert {url: served(client, url) for url in urls} == urls
    assert_private_object(s3_media, document.file.name, PDF_BYTES)


def test_an_expense_receipt(s3_media, association, admin, member):
    vehicle = owned_vehicle(admin)
    txn = post_expense(
        vehicle=vehicle,
        category="repair",
        amount=Decimal("10"),
        incurred_on=dt.date(2026, 10, 1),
        paid_by=member_account(member),
        description="",
        actor=platform(vehicle),
        receipt=pdf_upload("r.pdf"),
    )
    url = reverse("ledger:receipt", kwargs={"slug": association.slug, "pk": txn.pk})
    assert served(client_for(member), url) == PDF_BYTES
    assert_private_object(s3_media, txn.receipt.name, PDF_BYTES)


def test_a_generated_agreement_pdf(s3_media, association, admin, member):
    save_template_version(
        actor=admin,
        association=association,
        kind="agreement",
        source="<h1>Contrat</h1><p>{{ vehicle.plate }} pour {{ driver.full_name }}</p>",
    )
    vehicle = owned_vehicle(admin, plate="AB-123-CD")
    agreement = generate_agreement(actor=admin, vehicle=vehicle, driver=member)

    url = reverse("contracts:pdf", kwargs={"slug": association.slug, "pk": agreement.pk})
    pdf = served(client_for(member), url)
    assert pdf.startswith(b"%PDF-")
    assert_private_object(s3_media, agreement.pdf.name, pdf)


def test_an_object_gone_from_the_bucket_is_a_404(s3_media, association, member):
    vehicle = owned_vehicle(member, photo=png_upload())
    s3_media.client.delete_object(Bucket=s3_media.bucket, Key=s3_media.key(vehicle.photo.name))
    url = reverse("vehicles:photo", kwargs={"slug": association.slug, "pk": vehicle.pk})
    assert client_for(member).get(url).status_code == 404


def test_a_backup_of_the_bucket_restores_into_an_empty_prefix(s3_media, tmp_path):
    source_db = tmp_path / "source.sqlite3"
    with sqlite3.connect(source_db) as db:
        db.execute("CREATE TABLE things (id INTEGER PRIMARY KEY)")
    files = {"private/a/1.png": PNG_BYTES, "private/b/2.pdf": PDF_BYTES}
    for name, data in files.items():
        default_storage.save(name, ContentFile(data))
    archive = create_backup(tmp_path / "b.tar.gz", database=SqliteDatabase(source_db)).path
    other = storages.create_storage(
        parse_media_storage_url(s3_media_storage_url(f"{s3_media.prefix}-restored"))
    )

    restore_backup(archive, database=SqliteDatabase(tmp_path / "t.sqlite3"), storage=other)

    for name, data in files.items():
        with other.open(name, "rb") as handle:
            assert handle.read() == data
    with pytest.raises(BackupError, match="The media store is not empty"):
        restore_backup(archive, database=SqliteDatabase(tmp_path / "u.sqlite3"), storage=other)


def test_no_app_reaches_the_media_around_the_storage_api():
    # A local path (MEDIA_ROOT, FileSystemStorage, FieldFile.path) exists on one host only
    # and not at all on S3: the apps read and write media through the storage API.
    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(
        r"settings\.MEDIA_ROOT|FileSystemStorage\(|import FileSystemStorage"
        r"|\.(?:file|photo|receipt|licence_scan|signed_scan|certificate|pdf)\.path\b"
    )
    apps = ["core", "members", "notifications", "vehicles", "contracts", "ledger", "bookings"]
    found = [
        f"{path.relative_to(root)}: {match.group()}"
        for app in apps
        for path in sorted((root / app).rglob("*.py"))
        if "migrations" not in path.parts
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
