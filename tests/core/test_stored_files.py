"""core.stored_files: the files stored by a transaction that rolls back go with it."""

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from core.stored_files import atomic_with_files, create_with_files, save_with_files, store_file
from tests.factories.members import DriverProfileFactory
from tests.factories.vehicles import VehicleFactory, png_upload
from vehicles.models import VehicleDocument

pytestmark = pytest.mark.django_db


class Refused(Exception):
    pass


def document(vehicle, name="paper.png") -> VehicleDocument:
    return create_with_files(
        VehicleDocument,
        vehicle=vehicle,
        kind=VehicleDocument.Kind.REGISTRATION,
        file=png_upload(name),
    )


def exists(doc: VehicleDocument) -> bool:
    return doc.file.storage.exists(doc.file.name)


def test_a_block_left_by_an_exception_deletes_its_files_and_a_committed_one_keeps_them():
    vehicle = VehicleFactory()
    with pytest.raises(Refused), atomic_with_files():
        lost = document(vehicle)
        assert exists(lost)  # written at once, inside the transaction
        raise Refused
    assert not exists(lost) and not VehicleDocument.objects.exists()
    with atomic_with_files():
        kept = document(vehicle)
    assert exists(kept)


def test_a_nested_block_hands_its_files_to_the_enclosing_one():
    vehicle = VehicleFactory()
    with pytest.raises(Refused), atomic_with_files():
        with atomic_with_files():
            inner = document(vehicle, "inner.png")
        assert exists(inner)  # the inner block succeeded
        raise Refused  # the outer one rolls back: the inner file goes too
    assert not exists(inner)


def test_a_savepoint_rolled_back_inside_a_block_takes_only_its_own_files():
    vehicle = VehicleFactory()
    with atomic_with_files():
        kept = document(vehicle, "kept.png")
        with pytest.raises(Refused), atomic_with_files():
            lost = document(vehicle, "lost.png")
            raise Refused
    assert exists(kept) and not exists(lost)
    assert list(VehicleDocument.objects.values_list("pk", flat=True)) == [kept.pk]


def test_a_row_refused_by_the_database_takes_its_file_back():
    vehicle = VehicleFactory()
    taken = document(vehicle, "first.png")
    copy = VehicleDocument(
        pk=taken.pk, vehicle=vehicle, kind=taken.kind, file=png_upload("dup.png")
    )
    with pytest.raises(Exception), atomic_with_files():  # noqa: B017 - the backend's IntegrityError
        save_with_files(copy, force_insert=True)
    assert copy.file.name and not copy.file.storage.exists(copy.file.name)
    assert exists(taken)


def test_store_file_refuses_a_plain_transaction():
    profile = DriverProfileFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        store_file(profile.licence_scan, "scan.png", ContentFile(b"x"))
    with pytest.raises(Refused), atomic_with_files():
        store_file(profile.licence_scan, "scan.png", png_upload())
        name = profile.licence_scan.name
        assert profile.licence_scan.storage.exists(name)
        raise Refused
    assert not profile.licence_scan.storage.exists(name)
