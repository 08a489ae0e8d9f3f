import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from members.models import Invitation, Membership, User
from members.tokens import invitation_token
from tests.factories.members import InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _invite_url(association):
    return reverse("members:invite", kwargs={"slug": association.slug})


def _link(invitation):
    return reverse("account:invitation", kwargs={"token": invitation_token(invitation)})


def test_admin_invites_and_the_mail_leaves_after_commit(
    admin_client_, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(
            _invite_url(admin.association), {"email": "nora@example.org", "role": "member"}
        )
    assert response.status_code == 302
    assert Invitation.objects.get().email == "nora@example.org"
    assert mail.outbox[0].to == ["nora@example.org"]
    page = admin_client_.get(_invite_url(admin.association)).content.decode()
    assert "nora@example.org" in page


def test_inviting_an_existing_member_shows_the_french_error_on_the_field(
    admin_client_, admin, member
):
    response = admin_client_.post(
        _invite_url(admin.association),
        {"email": member.user.email, "role": "member"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [
        f"{member.user.email} est déjà membre de Autopartage de Testville."
    ]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_withdrawing_an_invitation(admin_client_, admin, other_association):
    invitation = InvitationFactory(association=admin.association)
    url = reverse(
        "members:invitation_revoke", kwargs={"slug": admin.association.slug, "pk": invitation.pk}
    )
    assert admin_client_.post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    theirs = InvitationFactory(association=other_association)
    url = reverse(
        "members:invitation_revoke", kwargs={"slug": admin.association.slug, "pk": theirs.pk}
    )
    assert admin_client_.post(url).status_code == 404


def test_a_new_person_creates_an_account_from_the_link_and_is_signed_in(client, association):
    invitation = InvitationFactory(association=association, email="nora@example.org")
    page = client.get(_link(invitation), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Créez votre compte pour nora@example.org" in page.content.decode()
    response = client.post(
        _link(invitation),
        {
            "first_name": "Nora",
            "last_name": "Vidal",
            "password1": "Un-mot-de-passe-solide-42",
            "password2": "Un-mot-de-passe-solide-42",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("members:home", kwargs={"slug": association.slug})
    user = User.objects.get(email="nora@example.org")
    assert Membership.objects.get(user=user).status == "active"
    assert client.get(response["Location"]).status_code == 200  # signed in, member


def test_mismatched_passwords_create_nothing(client, association):
    invitation = InvitationFactory(association=association, email="nora@example.org")
    response = client.post(
        _link(invitation),
        {"first_name": "N", "last_name": "V", "password1": "Abcdef-123456", "password2": "x"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="nora@example.org").exists()


def test_a_known_person_is_asked_to_log_in(client, association):
    UserFactory(email="nora@example.org")
    invitation = InvitationFactory(association=association, email="nora@example.org")
    html = client.get(_link(invitation)).content.decode()
    assert "/accounts/login/?next=" in html


def test_a_signed_in_invitee_accepts(client, association):
    user = UserFactory(email="nora@example.org")
    client.force_login(user)
    invitation = InvitationFactory(association=association, email="nora@example.org")
    assert client.post(_link(invitation)).status_code == 302
    assert Membership.objects.get(user=user).status == "active"


def test_an_expired_link_says_so_in_french_and_accepts_nothing(client, association):
    with time_machine.travel(dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC), tick=False):
        invitation = InvitationFactory(association=association, email="nora@example.org")
    user = UserFactory(email="nora@example.org")
    client.force_login(user)
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC), tick=False):
        page = client.get(_link(invitation), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        response = client.post(_link(invitation), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Cette invitation a expiré le 15 novembre 2026" in page
    assert response.status_code == 400
    assert (
        "Cette invitation a expiré le 15 novembre 2026. Demandez à Autopartage de Testville "
        "de vous en envoyer une nouvelle." in response.content.decode()
    )
    assert not Membership.objects.filter(user=user).exists()


def test_a_forged_link_is_404(client):
    assert client.get("/invitations/12:forged/").status_code == 404
