import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import DriverProfile, Membership, User

pytestmark = pytest.mark.django_db


def test_profile_update(member_client, member):
    response = member_client.post(
        reverse("account:profile"),
        {"first_name": "Camille", "last_name": "Roux", "phone": "06", "language": "en"},
    )
    assert response.status_code == 302
    user = User.objects.get(pk=member.user.pk)
    assert (user.first_name, user.language) == ("Camille", "en")


def test_driver_profile_with_a_scan_and_impossible_dates(member_client, member):
    url = reverse("account:driver_profile")
    data = {
        "birth_date": "1990-02-03",
        "licence_number": "AB123",
        "licence_issued_on": "2005-02-03",
        "licence_issued_by": "Préfecture",
        "accompanied_driving": "on",
    }
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 permis")
    assert member_client.post(url, {**data, "licence_scan": scan}).status_code == 302
    profile = DriverProfile.objects.get(user=member.user)
    assert profile.licence_number == "AB123" and profile.accompanied_driving
    own = member_client.get(reverse("account:licence_scan"))
    assert b"".join(own.streaming_content) == b"%PDF-1.4 permis"

    bad = member_client.post(
        url, {**data, "licence_issued_on": "1995-01-01"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert bad.status_code == 400
    assert bad.context["form"].errors["licence_issued_on"] == [
        "Le permis ne peut pas avoir été délivré avant l’âge de 14 ans."
    ]
    assert DriverProfile.objects.get(user=member.user).licence_issued_on.year == 2005

    member_client.post(url, {**data, "remove_scan": "on"})
    assert not DriverProfile.objects.get(user=member.user).licence_scan


def test_driver_profile_page_shows_the_derived_status(member_client):
    html = member_client.get(reverse("account:driver_profile"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "terminé le 1er juin 2003" in html.content.decode()


def test_my_associations_and_leaving(member_client, member):
    page = member_client.get(reverse("account:associations")).content.decode()
    assert member.association.name in page
    url = reverse("account:leave", kwargs={"slug": member.association.slug})
    assert member_client.get(url).status_code == 200
    assert member_client.post(url).status_code == 302
    assert Membership.objects.get(pk=member.pk).status == "left"


def test_the_last_admin_cannot_leave_french_message(admin_client_, admin):
    url = reverse("account:leave", kwargs={"slug": admin.association.slug})
    response = admin_client_.post(url, follow=True, HTTP_ACCEPT_LANGUAGE="fr")
    assert [str(m) for m in response.context["messages"]] == [
        f"{admin.user.display_name} est le dernier administrateur de Autopartage de Testville : "
        "nommez d’abord un autre administrateur."
    ]
    assert Membership.objects.get(pk=admin.pk).status == "active"


def test_leaving_an_association_i_am_not_in_redirects(member_client, other_association):
    url = reverse("account:leave", kwargs={"slug": other_association.slug})
    assert member_client.post(url).status_code == 302


def test_export_my_data(member_client, member):
    response = member_client.get(reverse("account:export"))
    assert response["Content-Disposition"].startswith('attachment; filename="my-carshare-data-')
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert json.loads(archive.read("members/profile.json"))["email"] == member.user.email


def test_delete_my_account_asks_for_the_password(member_client, member):
    url = reverse("account:delete")
    wrong = member_client.post(url, {"password": "nope"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert wrong.status_code == 400
    assert User.objects.get(pk=member.user.pk).is_active
    response = member_client.post(url, {"password": "demo-carshare"})
    assert response.status_code == 302
    user = User.objects.get(pk=member.user.pk)
    assert not user.is_active and user.email.endswith("@invalid")
    assert member_client.get(reverse("account:profile")).status_code == 302  # logged out


def test_the_last_admin_is_told_why_the_account_stays(admin_client_, admin):
    response = admin_client_.post(
        reverse("account:delete"), {"password": "demo-carshare"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 409  # a conflict with the association's state
    assert "Vous êtes le dernier administrateur d'Autopartage de Testville" in (
        response.content.decode()
    )
    assert User.objects.get(pk=admin.user.pk).is_active


def test_a_bad_scan_refuses_the_whole_form(member_client, member):
    response = member_client.post(
        reverse("account:driver_profile"),
        {"licence_number": "CHANGED", "licence_scan": SimpleUploadedFile("x.pdf", b"MZ exe")},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["licence_scan"]
    assert DriverProfile.objects.get(user=member.user).licence_number != "CHANGED"
