"""Agreement services: generate (render first, store after), re-run, sign, end, outdated."""

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from contracts import rendering
from contracts.models import Agreement
from contracts.services import (
    end_agreement,
    generate_agreement,
    mark_agreement_printed,
    mark_outdated_agreements,
    record_agreement_signature,
)
from core.errors import ConflictError, DomainError
from members.models import AuditEntry
from members.permissions import SystemActor
from tests.factories.members import MembershipFactory
from tests.factories.vehicles import VehicleFactory
from vehicles.models import InsurancePolicy, Tariff, Vehicle

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2025, 6, 10, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen(light_templates):
    with time_machine.travel(TODAY, tick=False):
        yield


def stored_files():
    return sorted(default_storage.listdir("private/agreement")[1])


def test_generating_stores_the_pdf_its_digest_and_what_it_printed(
    admin, car, driver, light_templates
):
    agreement = generate_agreement(actor=admin, vehicle=car, driver=driver)
    assert agreement.status == Agreement.Status.DRAFT
    assert agreement.association == car.association
    content = agreement.pdf.read()
    assert content.startswith(b"%PDF-")
    assert agreement.pdf_sha256 == hashlib.sha256(content).hexdigest()
    assert agreement.page_count == 1
    assert agreement.template_label == "v1"
    assert agreement.template_version == light_templates
    assert agreement.snapshot["vehicle"]["plate"] == "AB-123-CD"
    assert agreement.snapshot["driver"]["licence"]["number"] == (
        driver.user.driver_profile.licence_number
    )
    assert agreement.snapshot["deductible"] == "500.00"
    assert agreement.snapshot["tariff"]["price_per_km"] == "0.300"
    assert agreement.terms["key_option"] == "hand"
    assert AuditEntry.objects.filter(action="contracts.agreement_generated").count() == 1


def test_generating_again_with_the_same_data_changes_nothing(admin, car, driver):
    first = generate_agreement(actor=admin, vehicle=car, driver=driver)
    files = stored_files()
    again = generate_agreement(actor=admin, vehicle=car, driver=driver)
    assert again.pk == first.pk and again.pdf_sha256 == first.pdf_sha256
    assert stored_files() == files
    assert Agreement.objects.count() == 1


def test_generating_again_after_a_change_replaces_the_pending_pdf(
    admin, car, driver, django_capture_on_commit_callbacks
):
    first = generate_agreement(actor=admin, vehicle=car, driver=driver)
    mark_agreement_printed(actor=admin, agreement=first)
    Tariff.objects.filter(vehicle=car).update(price_per_km=Decimal("0.320"))
    with django_capture_on_commit_callbacks(execute=True):
        second = generate_agreement(actor=admin, vehicle=car, driver=driver)
    assert second.pk == first.pk
    assert second.status == Agreement.Status.DRAFT
    assert second.snapshot["tariff"]["price_per_km"] == "0.320"
    assert second.pdf.name != first.pdf.name
    assert len(stored_files()) == 1  # the old PDF is removed after commit


@pytest.mark.django_db(transaction=True)
def test_pdfs_are_rendered_outside_database_transactions(admin, car, driver, monkeypatch):
    seen = []
    real = rendering.run_render

    def spy(target, payload):
        seen.append(connection.in_atomic_block)
        return real(target, payload)

    monkeypatch.setattr(rendering, "run_render", spy)
    generate_agreement(actor=admin, vehicle=car, driver=driver)
    assert seen == [False]


def test_no_agreement_without_insurance_or_tariff(admin, car, driver):
    Tariff.objects.filter(vehicle=car).delete()
    with pytest.raises(DomainError) as caught:
        generate_agreement(actor=admin, vehicle=car, driver=driver)
    assert caught.value.code == "tariff_missing"
    InsurancePolicy.objects.filter(vehicle=car).delete()
    with pytest.raises(DomainError) as caught:
        generate_agreement(actor=admin, vehicle=car, driver=driver)
    assert caught.value.code == "insurance_missing"
    assert not Agreement.objects.exists()


def test_no_agreement_with_a_member_of_another_association(admin, car, outsider):
    with pytest.raises(DomainError) as caught:
        generate_agreement(actor=admin, vehicle=car, driver=outsider)
    assert caught.value.code == "wrong_tenant"


def test_signing_records_who_and_when_with_a_scan(admin, car, driver):
    agreement = generate_agreement(actor=admin, vehicle=car, driver=driver)
    scan = ContentFile(b"%PDF-1.4 scan", name="scan.pdf")
    signed = record_agreement_signature(
        actor=admin, agreement=agreement, signed_on=dt.date(2025, 6, 10), scan=scan
    )
    assert signed.status == Agreement.Status.SIGNED
    assert signed.signed_on == dt.date(2025, 6, 10)
    assert signed.signature_recorded_by == admin.user
    assert signed.signed_scan.read() == b"%PDF-1.4 scan"
    with pytest.raises(ConflictError):
        record_agreement_signature(actor=admin, agreement=signed, signed_on=dt.date(2025, 6, 10))


def test_a_scan_that_is_not_a_pdf_or_an_image_is_refused(admin, car, driver):
    agreement = generate_agreement(actor=admin, vehicle=car, driver=driver)
    with pytest.raises(DomainError) as caught:
        record_agreement_signature(
            actor=admin,
            agreement=agreement,
            signed_on=dt.date(2025, 6, 10),
            scan=ContentFile(b"#!/bin/sh", name="scan.pdf"),
        )
    assert caught.value.code == "scan_invalid"
    assert Agreement.objects.get().status == Agreement.Status.DRAFT


@pytest.mark.parametrize("day", [dt.date(2025, 6, 11), dt.date(2025, 6, 9)])
def test_the_signature_date_is_between_printing_and_today(admin, car, driver, day):
    agreement = generate_agreement(actor=admin, vehicle=car, driver=driver)
    with pytest.raises(DomainError) as caught:
        record_agreement_signature(actor=admin, agreement=agreement, signed_on=day)
    assert caught.value.code == "signature_date_invalid"


def test_signing_a_new_agreement_ends_the_one_it_replaces(admin, car, driver):
    old = generate_agreement(actor=admin, vehicle=car, driver=driver)
    record_agreement_signature(actor=admin, agreement=old, signed_on=dt.date(2025, 6, 10))
    Vehicle.objects.filter(pk=car.pk).update(key_mode=Vehicle.KeyMode.SPARE_KEY)
    car.refresh_from_db()
    new = generate_agreement(actor=admin, vehicle=car, driver=driver)
    assert new.pk != old.pk
    record_agreement_signature(actor=admin, agreement=new, signed_on=dt.date(2025, 6, 10))
    old.refresh_from_db()
    assert old.status == Agreement.Status.ENDED
    assert Agreement.objects.get(pk=new.pk).status == Agreement.Status.SIGNED


def test_printed_and_ended_transitions(admin, car, driver):
    agreement = generate_agreement(actor=admin, vehicle=car, driver=driver)
    printed = mark_agreement_printed(actor=admin, agreement=agreement)
    assert printed.status == Agreement.Status.PRINTED and printed.printed_at
    assert mark_agreement_printed(actor=admin, agreement=printed).status == "printed"
    ended = end_agreement(actor=admin, agreement=printed)
    assert ended.status == Agreement.Status.ENDED and ended.ended_at
    with pytest.raises(ConflictError):
        mark_agreement_printed(actor=admin, agreement=ended)


def signed_agreement(admin, car, driver):
    agreement = generate_agreement(actor=admin, vehicle=car, driver=driver)
    return record_agreement_signature(
        actor=admin, agreement=agreement, signed_on=dt.date(2025, 6, 10)
    )


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            lambda car: InsurancePolicy.objects.filter(vehicle=car).update(deductible=700),
            "deductible",
        ),
        (
            lambda car: InsurancePolicy.objects.filter(vehicle=car).update(insurer="Autre"),
            "insurance",
        ),
        (lambda car: Tariff.objects.filter(vehicle=car).update(price_per_km="0.35"), "tariff"),
        (lambda car: Vehicle.objects.filter(pk=car.pk).update(key_mode="spare"), "key_option"),
    ],
)
def test_a_change_of_terms_marks_signed_agreements_to_re_sign(admin, car, driver, change, reason):
    agreement = signed_agreement(admin, car, driver)
    assert mark_outdated_agreements(actor=admin, association=car.association) == []
    change(car)
    changed = mark_outdated_agreements(association=car.association, actor=admin)
    assert [(item.agreement.pk, item.reasons) for item in changed] == [(agreement.pk, (reason,))]
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.TO_RESIGN
    assert agreement.outdated_reasons == [reason]
    assert mark_outdated_agreements(actor=admin, association=car.association) == []  # once only


def test_a_new_tariff_in_the_future_does_not_outdate_today(admin, car, driver):
    signed_agreement(admin, car, driver)
    Tariff.objects.create(vehicle=car, valid_from=dt.date(2025, 7, 1), price_per_km="0.40")
    assert mark_outdated_agreements(actor=admin, association=car.association) == []


def test_outdated_agreements_of_another_association_are_left_alone(admin, car, driver, outsider):
    signed_agreement(admin, car, driver)
    Tariff.objects.filter(vehicle=car).update(price_per_km="0.35")
    platform = SystemActor(outsider.association, "outdated_agreements")
    assert mark_outdated_agreements(actor=platform, association=outsider.association) == []
    assert Agreement.objects.get().status == Agreement.Status.SIGNED


def test_an_association_car_lists_the_association_as_lender(admin, association, driver):
    from tests.factories.vehicles import InsurancePolicyFactory, TariffFactory

    car = VehicleFactory(association=association, owner_kind=Vehicle.OwnerKind.COMMUNE)
    InsurancePolicyFactory(vehicle=car)
    TariffFactory(vehicle=car)
    agreement = generate_agreement(actor=admin, vehicle=car, driver=driver)
    assert agreement.snapshot["lender"]["kind"] == "commune"
    assert agreement.snapshot["lender"]["name"] == association.commune
    assert agreement.driver_is_owner is False


def test_inactive_members_sign_nothing(admin, car, association):
    left = MembershipFactory(association=association, status="left")
    with pytest.raises(DomainError):
        generate_agreement(actor=admin, vehicle=car, driver=left)


@pytest.mark.django_db(transaction=True)
def test_two_requests_generating_at_once_store_one_agreement(admin, car, driver):
    import threading

    from django.db import connections

    errors = []
    barrier = threading.Barrier(2)

    def generate():
        try:
            barrier.wait(timeout=30)
            generate_agreement(actor=admin, vehicle=car, driver=driver)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=generate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert Agreement.objects.count() == 1
    assert stored_files() == [Agreement.objects.get().pdf.name.rsplit("/", 1)[1]]
