import csv
import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile

from members import exports
from members.exports import (
    ExportFile,
    csv_file,
    register_association_export,
    register_personal_export,
    write_association_export,
    write_personal_export,
)
from members.models import DriverProfile
from members.services.imports import preview_member_import
from tests.factories.members import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(exports, "_association_sections", dict(exports._association_sections))
    monkeypatch.setattr(exports, "_personal_sections", dict(exports._personal_sections))


def _zip(file):
    return zipfile.ZipFile(io.BytesIO(file.read()))


def _csv_rows(archive, name):
    text = archive.read(name).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_members_registers_its_own_sections():
    assert exports.association_sections()[0] == "members"
    assert exports.personal_sections()[0] == "members"


def test_association_export_holds_the_members_section(admin, member, outsider):
    archive = _zip(write_association_export(admin.association))
    names = set(archive.namelist())
    assert {
        "README.txt",
        "members/association.json",
        "members/members.csv",
        "members/households.csv",
        "members/invitations.csv",
        "members/audit.csv",
    } <= names
    rows = _csv_rows(archive, "members/members.csv")
    emails = {row[0] for row in rows[1:]}
    assert emails == {admin.user.email, member.user.email}  # not the outsider
    assert rows[0][:3] == ["email", "first_name", "last_name"]
    settings = json.loads(archive.read("members/association.json"))
    assert settings["slug"] == "testville"
    assert settings["membership_fee"] == "0.00"


def test_the_members_csv_can_be_imported_again(admin, member, other_association):

    archive = _zip(write_association_export(admin.association))
    text = archive.read("members/members.csv").decode("utf-8-sig")
    other_admin = MembershipFactory(association=other_association, role="admin")
    preview = preview_member_import(actor=other_admin, text=text)
    assert preview.is_valid, [row.errors for row in preview.rows]
    assert "status" in preview.ignored_columns


def test_apps_to_the_right_add_sections_without_members_importing_them(admin, clean_registry):
    def fleet(association):
        yield csv_file("vehicles.csv", ["name"], [[f"Clio de {association.commune}"]])

    register_association_export("vehicles", fleet)
    archive = _zip(write_association_export(admin.association))
    assert _csv_rows(archive, "vehicles/vehicles.csv") == [["name"], ["Clio de Villerouge"]]
    assert "vehicles/vehicles.csv" in archive.read("README.txt").decode()


def test_section_names_are_checked(clean_registry):
    with pytest.raises(ValueError):
        register_personal_export("../etc", lambda user: [])


def test_personal_export_holds_my_data_and_my_scan(member, clean_registry):
    profile = DriverProfile.objects.get(user=member.user)
    profile.licence_scan.save("permis.pdf", ContentFile(b"%PDF-1.4 my scan"), save=True)
    register_personal_export("bookings", lambda user: [ExportFile("bookings.json", b"[]")])
    archive = _zip(write_personal_export(member.user))
    profile_data = json.loads(archive.read("members/profile.json"))
    assert profile_data["email"] == member.user.email
    [membership] = json.loads(archive.read("members/memberships.json"))
    assert membership["association_slug"] == "testville"
    driver = json.loads(archive.read("members/driver_profile.json"))
    assert driver["birth_date"] == "1980-05-17"
    assert driver["probation_end"] == "2003-06-01"
    assert archive.read("members/licence_scan.pdf") == b"%PDF-1.4 my scan"
    assert archive.read("bookings/bookings.json") == b"[]"


def test_a_scan_lost_from_storage_does_not_break_the_export(member):
    profile = DriverProfile.objects.get(user=member.user)
    profile.licence_scan.save("permis.pdf", ContentFile(b"%PDF-1.4"), save=True)
    profile.licence_scan.storage.delete(profile.licence_scan.name)
    archive = _zip(write_personal_export(member.user))
    assert "members/driver_profile.json" in archive.namelist()
    assert not any(name.startswith("members/licence_scan") for name in archive.namelist())


def test_csv_cells_are_spreadsheet_friendly():
    file = csv_file("x.csv", ["a", "b", "c"], [[True, None, 3]])
    assert file.content.startswith("\ufeff".encode())
    assert file.content.decode("utf-8-sig") == "a;b;c\r\noui;;3\r\n"
