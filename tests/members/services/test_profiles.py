import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import DomainError
from members.models import AuditEntry, DriverProfile
from members.services.profiles import (
    DriverData,
    replace_licence_scan,
    update_driver_profile,
    update_profile,
)
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC), tick=False)


def _data(**changes):
    values = {
        "birth_date": dt.date(2000, 3, 4),
        "licence_number": "12AB34567",
        "licence_issued_on": dt.date(2019, 5, 6),
        "licence_issued_by": "Préfecture",
        "licence_expires_on": None,
        "accompanied_driving": True,
        "post_licence_training": False,
    }
    return DriverData(**{**values, **changes})


def test_first_save_creates_the_profile_and_the_trail_names_fields_only():
    user = UserFactory()
    profile = update_driver_profile(user=user, data=_data())
    assert profile.pk and profile.is_complete
    entry = AuditEntry.objects.get(action="driver_profile.updated")
    assert "12AB34567" not in str(entry.data)
    assert "licence_number" in entry.data["fields"]


def test_an_update_saves_only_what_changed():
    user = UserFactory()
    update_driver_profile(user=user, data=_data())
    update_driver_profile(user=user, data=_data(licence_number="99ZZ"))
    assert DriverProfile.objects.get(user=user).licence_number == "99ZZ"
    assert AuditEntry.objects.order_by("-pk").first().data == {"fields": ["licence_number"]}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"birth_date": dt.date(2027, 1, 1)}, "birth_date"),
        ({"licence_issued_on": dt.date(2026, 12, 1)}, "licence_issued_on"),
        ({"licence_issued_on": dt.date(2013, 3, 3)}, "licence_issued_on"),  # aged 13
        ({"licence_expires_on": dt.date(2019, 5, 6)}, "licence_expires_on"),
    ],
)
def test_impossible_dates_are_refused_on_their_field(changes, field):
    user = UserFactory()
    with pytest.raises(DomainError) as refused:
        update_driver_profile(user=user, data=_data(**changes))
    assert refused.value.extra["field"] == field
    assert not DriverProfile.objects.filter(user=user).exists()


def test_scan_replacement_deletes_the_old_file_after_commit(django_capture_on_commit_callbacks):
    user = UserFactory()
    first = replace_licence_scan(user=user, scan=SimpleUploadedFile("a.pdf", b"%PDF-1.4 first"))
    old_name, storage = first.licence_scan.name, first.licence_scan.storage
    with django_capture_on_commit_callbacks(execute=True):
        second = replace_licence_scan(
            user=user, scan=SimpleUploadedFile("b.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
        )
    assert not storage.exists(old_name)
    assert second.licence_scan.name.endswith(".png")
    assert "a.pdf" not in second.licence_scan.name  # stored under a random name


def test_a_scan_that_is_not_an_image_or_pdf_is_refused():
    user = UserFactory()
    with pytest.raises(DomainError) as refused:
        replace_licence_scan(user=user, scan=SimpleUploadedFile("x.pdf", b"MZ\x90 not a pdf"))
    assert refused.value.extra["field"] == "licence_scan"
    assert not DriverProfile.objects.filter(user=user).exists()


def test_profile_update_rejects_an_unknown_language():
    user = UserFactory()
    with pytest.raises(DomainError):
        update_profile(user=user, first_name="A", last_name="B", phone="", language="de")
    updated = update_profile(user=user, first_name=" A ", last_name="B", phone="1", language="en")
    assert (updated.first_name, updated.language) == ("A", "en")
