"""Consent: an association admin cannot pull an existing account into their association.

The issue's case: the saint-martin admin imports `camille@villerouge.example;Camille;Roux;
admin`. Camille must get an invitation, nothing more: no membership and no admin role until
she accepts (never admin through an import), no licence data or scan visible to saint-martin
before, and a preview that reads the same whether an address has an account or not.
"""

import re

import pytest
from django.contrib.admin.sites import site
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory, TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from members.models import Association, Invitation, Membership, User
from members.services.invitations import accept_invitation
from tests.factories.members import (
    AssociationFactory,
    DriverProfileFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CAMILLE_ROW = "camille@villerouge.example;Camille;Roux;admin"
HEADER = "email;first_name;last_name;role"


@pytest.fixture
def camille():
    villerouge = AssociationFactory(name="Autopartage de Villerouge", slug="villerouge")
    user = UserFactory(email="camille@villerouge.example", first_name="Camille", last_name="Roux")
    membership = MembershipFactory(user=user, association=villerouge)
    profile = DriverProfileFactory(user=user, licence_number="CAMILLE-PERMIS-42")
    profile.licence_scan.save("permis.pdf", ContentFile(b"%PDF-1.4 scan"), save=True)
    return membership


@pytest.fixture
def saint_martin_admin():
    association = AssociationFactory(name="Autopartage de Saint-Martin", slug="saint-martin")
    user = UserFactory(email="admin@saint-martin.example", first_name="Sophie")
    return MembershipFactory(user=user, association=association, role="admin")


def _client(membership):
    client = Client()
    client.force_login(membership.user)
    return client


def _upload(client, association, text):
    file = SimpleUploadedFile("membres.csv", text.encode(), content_type="text/csv")
    url = reverse("members:import", kwargs={"slug": association.slug})
    return client.post(url, {"file": file}, HTTP_ACCEPT_LANGUAGE="fr")


def _import(client, association, text):
    preview = _upload(client, association, text)
    payload = re.search(r'name="payload" value="([^"]+)"', preview.text).group(1)
    url = reverse("members:import_confirm", kwargs={"slug": association.slug})
    with TestCase.captureOnCommitCallbacks(execute=True):  # the e-mails go after commit
        return client.post(url, {"payload": payload}, HTTP_ACCEPT_LANGUAGE="fr")


def _saint_martin_sees_nothing_of(camille, admin):
    client, slug = _client(admin), admin.association.slug
    for membership in Membership.objects.filter(user=camille.user):
        for name in ("detail", "licence_scan"):
            url = reverse(f"members:{name}", kwargs={"slug": slug, "pk": membership.pk})
            assert client.get(url).status_code == 404, (name, membership.association.slug)
    for name in ("list", "export_csv"):
        page = client.get(reverse(f"members:{name}", kwargs={"slug": slug}) + "?status=all")
        assert "CAMILLE-PERMIS-42" not in page.content.decode()
        assert "camille@villerouge.example" not in page.content.decode()
    api = APIClient()
    api.force_authenticate(admin.user)
    listed = api.get(f"/api/v1/associations/{slug}/members/").json()
    assert "camille@villerouge.example" not in str(listed)


def test_importing_an_existing_account_only_invites_it(camille, saint_martin_admin):
    association = saint_martin_admin.association
    response = _import(_client(saint_martin_admin), association, f"{HEADER}\n{CAMILLE_ROW}\n")
    assert response.status_code == 302
    assert not Membership.objects.filter(user=camille.user, association=association).exists()
    invitation = Invitation.objects.get(association=association, email=camille.user.email)
    assert invitation.is_open
    assert invitation.role == Membership.Role.MEMBER  # never admin through an import
    assert [message.to for message in mail.outbox] == [["camille@villerouge.example"]]
    _saint_martin_sees_nothing_of(camille, saint_martin_admin)


def test_an_imported_existing_account_joins_as_a_member_once_it_accepts(
    camille, saint_martin_admin
):
    association = saint_martin_admin.association
    _import(_client(saint_martin_admin), association, f"{HEADER}\n{CAMILLE_ROW};\n")
    invitation = Invitation.objects.get(association=association, email=camille.user.email)
    membership = accept_invitation(invitation=invitation, user=camille.user)
    assert (membership.status, membership.role) == ("active", "member")
    user = User.objects.get(pk=camille.user.pk)
    assert (user.first_name, user.last_name) == ("Camille", "Roux")  # her own, untouched


def test_an_import_never_creates_an_admin_even_for_a_new_address(saint_martin_admin):
    association = saint_martin_admin.association
    _import(_client(saint_martin_admin), association, f"{HEADER}\nnouveau@example.org;N;O;admin\n")
    assert Invitation.objects.get(email="nouveau@example.org").role == Membership.Role.MEMBER
    assert not Membership.objects.filter(association=association, user__email="nouveau@example.org")
    assert Membership.objects.filter(association=association, role="admin").count() == 1


def _neutral(html, email):
    html = html.replace(email, "EMAIL")
    html = re.sub(r'name="payload" value="[^"]+"', "PAYLOAD", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)


def test_the_preview_reads_the_same_for_a_known_and_an_unknown_address(camille, saint_martin_admin):
    client, association = _client(saint_martin_admin), saint_martin_admin.association
    known = _upload(client, association, f"{HEADER}\ncamille@villerouge.example;Camille;Roux;\n")
    unknown = _upload(client, association, f"{HEADER}\npersonne@example.org;Camille;Roux;\n")
    assert known.status_code == unknown.status_code == 200
    assert _neutral(known.text, "camille@villerouge.example") == _neutral(
        unknown.text, "personne@example.org"
    )
    assert "recevra une invitation" in known.text


def test_the_django_admin_cannot_put_a_person_into_an_association(camille):
    staff = UserFactory(is_staff=True, is_superuser=True)
    request = RequestFactory().get("/")
    request.user = staff
    membership_admin = site._registry[Membership]
    assert not membership_admin.has_add_permission(request)
    readonly = set(membership_admin.get_readonly_fields(request, camille))
    assert {"user", "association", "role", "status"} <= readonly
    association_admin = site._registry[Association]
    for inline in association_admin.get_inline_instances(request, camille.association):
        if inline.model is Membership:
            assert not inline.has_add_permission(request, camille.association)
            assert not inline.has_change_permission(request, camille.association)


def test_an_operator_names_a_first_admin_by_invitation_only(
    camille, saint_martin_admin, django_capture_on_commit_callbacks
):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    url = reverse("admin:members_invitation_add")
    data = {"association": saint_martin_admin.association.pk, "role": "admin"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "email": "Camille@Villerouge.example"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(association=saint_martin_admin.association)
    assert (invitation.email, invitation.role) == ("camille@villerouge.example", "admin")
    assert [message.to for message in mail.outbox] == [["camille@villerouge.example"]]
    assert not Membership.objects.filter(
        user=camille.user, association=saint_martin_admin.association
    ).exists()
    current = client.post(url, {**data, "email": saint_martin_admin.user.email})
    assert current.status_code == 200  # a form error: already a member
    assert Invitation.objects.count() == 1


def _confirm(client, association, payload):
    url = reverse("members:import_confirm", kwargs={"slug": association.slug})
    return client.post(url, {"payload": payload}, HTTP_ACCEPT_LANGUAGE="fr")


def _payload(preview):
    return re.search(r'name="payload" value="([^"]+)"', preview.text).group(1)


def test_a_preview_confirmed_by_another_associations_admin_imports_nothing(
    camille, saint_martin_admin
):
    # Villerouge's admin previews a file, then replays its signed payload to saint-martin's
    # confirmation (or saint-martin's admin reuses a payload seen elsewhere): refused.
    villerouge_admin = MembershipFactory(association=camille.association, role="admin")
    text = f"{HEADER}\nnouveau@example.org;N;O;\n"
    payload = _payload(_upload(_client(villerouge_admin), camille.association, text))
    client = _client(saint_martin_admin)
    response = _confirm(client, saint_martin_admin.association, payload)
    assert response.status_code == 302
    assert "trop ancien ou a été modifié" in client.get(response.url).text
    assert not Invitation.objects.exists()


def test_an_altered_preview_payload_imports_nothing(saint_martin_admin):
    client, association = _client(saint_martin_admin), saint_martin_admin.association
    payload = _payload(_upload(client, association, f"{HEADER}\nnouveau@example.org;N;O;\n"))
    value, signature = payload.rsplit(":", 1)
    forged = f"{value}:{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    assert _confirm(client, association, forged).status_code == 302
    assert _confirm(client, association, "").status_code == 302
    assert not Invitation.objects.exists()


def test_only_the_associations_admins_may_import(saint_martin_admin):
    association = saint_martin_admin.association
    text = f"{HEADER}\nnouveau@example.org;N;O;\n"
    payload = _payload(_upload(_client(saint_martin_admin), association, text))
    member = MembershipFactory(association=association)
    other_admin = MembershipFactory(role="admin")  # admin of another association
    for client, status in (
        (_client(member), 403),
        (_client(other_admin), 404),
    ):
        assert _upload(client, association, text).status_code == status
        assert _confirm(client, association, payload).status_code == status
    stranger = Client()
    assert _upload(stranger, association, text).status_code == 302  # to the log-in page
    assert _confirm(stranger, association, payload).status_code == 302
    assert not Invitation.objects.exists()
