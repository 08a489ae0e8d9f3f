import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Invitation, User

pytestmark = pytest.mark.django_db


def _upload(client, association, text, encoding="utf-8"):
    file = SimpleUploadedFile("membres.csv", text.encode(encoding), content_type="text/csv")
    return client.post(
        reverse("members:import", kwargs={"slug": association.slug}),
        {"file": file},
        HTTP_ACCEPT_LANGUAGE="fr",
    )


def _payload(response):
    return re.search(r'name="payload" value="([^"]+)"', response.content.decode()).group(1)


def test_preview_then_confirm_invites_the_people_of_the_file(
    admin_client_, admin, django_capture_on_commit_callbacks
):
    response = _upload(
        admin_client_, admin.association, "courriel;prénom\nzoe@example.org;Zoé\n", "cp1252"
    )
    assert response.status_code == 200
    assert "Le fichier est correct\u00a0: 1 personne sera invitée par e-mail." in response.text
    assert not Invitation.objects.exists()  # nothing yet
    with django_capture_on_commit_callbacks(execute=True):
        confirm = admin_client_.post(
            reverse("members:import_confirm", kwargs={"slug": admin.association.slug}),
            {"payload": _payload(response)},
        )
    assert confirm.status_code == 302
    assert confirm.url == reverse("members:invite", kwargs={"slug": admin.association.slug})
    invitation = Invitation.objects.get(email="zoe@example.org")
    assert invitation.prefill == {"first_name": "Zoé"}
    assert not User.objects.filter(email="zoe@example.org").exists()  # until she accepts
    assert [message.to for message in mail.outbox] == [["zoe@example.org"]]
    assert "Zoé" not in mail.outbox[0].body  # what the file says is not mailed around


def test_preview_lists_errors_by_line_and_offers_no_confirmation(admin_client_, admin):
    response = _upload(
        admin_client_, admin.association, "email\nbad\nok@example.org\nok@example.org\n"
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "2 erreurs\u00a0: rien ne sera importé" in html
    assert "«\u00a0bad\u00a0» n’est pas une adresse e-mail valide." in html
    assert "ok@example.org figure déjà à la ligne 3 du fichier." in html
    assert 'name="payload"' not in html


def test_an_altered_payload_imports_nothing(admin_client_, admin):
    response = _upload(admin_client_, admin.association, "email\nzoe@example.org\n")
    payload = _payload(response)
    confirm = admin_client_.post(
        reverse("members:import_confirm", kwargs={"slug": admin.association.slug}),
        {"payload": payload[:-3] + "abc"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert [str(m) for m in confirm.context["messages"]] == [
        "Cet aperçu est trop ancien ou a été modifié : déposez de nouveau le fichier."
    ]
    assert not Invitation.objects.filter(email="zoe@example.org").exists()


def test_a_payload_signed_for_another_admin_is_refused(admin_client_, admin, other_association):
    from tests.factories.members import MembershipFactory

    response = _upload(admin_client_, admin.association, "email\nzoe@example.org\n")
    other_admin = MembershipFactory(association=other_association, role="admin")
    admin_client_.force_login(other_admin.user)
    admin_client_.post(
        reverse("members:import_confirm", kwargs={"slug": other_association.slug}),
        {"payload": _payload(response)},
    )
    assert not Invitation.objects.filter(email="zoe@example.org").exists()


def test_a_file_that_is_too_large_is_refused(admin_client_, admin):
    response = _upload(admin_client_, admin.association, "email\n" + "x" * (2 * 1024 * 1024 + 1))
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
