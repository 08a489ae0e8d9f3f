import datetime as dt
import io

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from core.errors import ConflictError, DomainError, ForbiddenError
from members.models import Invitation, Membership, User
from members.services import invitations as services
from members.tokens import invitation_id_from_token, invitation_token
from notifications.models import Notification
from tests.factories.members import InvitationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 26, 10, tzinfo=dt.UTC)


def _invite(admin, email="nouvelle@example.org", role="member"):
    return services.invite_member(actor=admin, email=email, role=role)


@time_machine.travel(NOW, tick=False)
def test_invitation_is_saved_and_mailed_after_commit_in_french(
    admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = _invite(admin, email=" Nouvelle@Example.org ")
    assert mail.outbox == []  # nothing is sent before the commit
    for callback in callbacks:
        callback()
    assert invitation.email == "nouvelle@example.org"
    assert invitation.expires_at == NOW + dt.timedelta(days=14)
    [message] = mail.outbox
    assert message.to == ["nouvelle@example.org"]
    assert message.subject == "Invitation à rejoindre Autopartage de Testville"
    assert "vous invite à rejoindre Autopartage de Testville" in message.body
    link = next(line for line in message.body.splitlines() if "/invitations/" in line)
    token = link.rsplit("/invitations/", 1)[1].strip("/")
    assert invitation_id_from_token(token) == invitation.pk
    assert "10 décembre 2026" in message.body


def test_invitation_mail_speaks_the_language_of_an_existing_account(
    admin, django_capture_on_commit_callbacks
):
    UserFactory(email="ana@example.org", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        _invite(admin, email="ana@example.org")
    assert mail.outbox[0].subject == "Invitation to join Autopartage de Testville"


def test_inviting_an_existing_member_is_refused_in_french_and_changes_nothing(admin, member):
    with translation.override("fr"), pytest.raises(ConflictError) as refused:
        _invite(admin, email=member.user.email.upper())
    assert refused.value.code == "already_member"
    assert str(refused.value.message) == (
        f"{member.user.email} est déjà membre de Autopartage de Testville."
    )
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_inviting_someone_who_asked_to_join_points_to_the_request(admin):
    pending = MembershipFactory(association=admin.association, status="pending")
    with pytest.raises(ConflictError) as refused:
        _invite(admin, email=pending.user.email)
    assert refused.value.code == "already_requested"


def test_inviting_again_renews_the_open_invitation(admin, django_capture_on_commit_callbacks):
    with time_machine.travel(NOW, tick=False):
        first = _invite(admin)
    with (
        time_machine.travel(NOW + dt.timedelta(days=20), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        second = _invite(admin, role="admin")
    assert second.pk == first.pk
    assert second.role == "admin"
    assert second.expires_at == NOW + dt.timedelta(days=34)
    assert len(mail.outbox) == 1


def test_only_admins_invite(member):
    with pytest.raises(ForbiddenError):
        _invite(member)


def test_accepting_makes_an_active_member_and_verifies_the_address(admin):
    user = UserFactory(email="nouvelle@example.org", verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    invitation = _invite(admin, role="admin")
    membership = services.accept_invitation(invitation=invitation, user=user)
    assert (membership.status, membership.role) == ("active", "admin")
    assert EmailAddress.objects.get(user=user).verified
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_accepting_an_expired_invitation_is_refused_in_french_and_changes_nothing(admin):
    with time_machine.travel(NOW, tick=False):
        invitation = _invite(admin)
    user = UserFactory(email="nouvelle@example.org")
    with (
        time_machine.travel(NOW + dt.timedelta(days=15), tick=False),
        translation.override("fr"),
        pytest.raises(ConflictError) as refused,
    ):
        services.accept_invitation(invitation=invitation, user=user)
    assert refused.value.code == "invitation_expired"
    assert str(refused.value.message) == (
        "Cette invitation a expiré le 10 décembre 2026. "
        "Demandez à Autopartage de Testville de vous en envoyer une nouvelle."
    )
    assert not Membership.objects.filter(user=user).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_invitation_is_used_once(admin):
    invitation = _invite(admin)
    user = UserFactory(email="nouvelle@example.org")
    services.accept_invitation(invitation=invitation, user=user)
    with pytest.raises(ConflictError) as refused:
        services.accept_invitation(invitation=invitation, user=user)
    assert refused.value.code == "invitation_used"


def test_a_withdrawn_invitation_cannot_be_accepted(admin):
    invitation = _invite(admin)
    services.revoke_invitation(actor=admin, invitation=invitation)
    with pytest.raises(ConflictError) as refused:
        services.accept_invitation(invitation=invitation, user=UserFactory(email=invitation.email))
    assert refused.value.code == "invitation_revoked"


def test_another_account_cannot_accept(admin, outsider):
    invitation = _invite(admin)
    with pytest.raises(ForbiddenError) as refused:
        services.accept_invitation(invitation=invitation, user=outsider.user)
    assert refused.value.code == "wrong_account"
    assert not Membership.objects.filter(user=outsider.user, association=admin.association)


def test_a_former_member_comes_back_on_the_same_row(admin):
    former = MembershipFactory(
        association=admin.association, status="left", left_on=dt.date(2026, 1, 1)
    )
    invitation = _invite(admin, email=former.user.email)
    membership = services.accept_invitation(invitation=invitation, user=former.user)
    assert membership.pk == former.pk
    assert (membership.status, membership.left_on) == ("active", None)


def test_new_account_from_an_invitation(admin):
    invitation = _invite(admin)
    membership = services.accept_invitation_with_new_account(
        invitation=invitation,
        first_name=" Nora ",
        last_name="Vidal",
        password="Un-mot-de-passe-solide-42",
        language="en",
    )
    user = User.objects.get(email="nouvelle@example.org")
    assert membership.user == user
    assert (user.first_name, user.language) == ("Nora", "en")
    assert user.check_password("Un-mot-de-passe-solide-42")
    assert EmailAddress.objects.get(user=user).verified


def test_new_account_refuses_a_weak_password_and_creates_nothing(admin):
    invitation = _invite(admin)
    with pytest.raises(DomainError) as refused:
        services.accept_invitation_with_new_account(
            invitation=invitation,
            first_name="Nora",
            last_name="Vidal",
            password="123",
            language="fr",
        )
    assert refused.value.extra["field"] == "password1"
    assert not User.objects.filter(email="nouvelle@example.org").exists()


def test_new_account_is_refused_when_the_address_has_one(admin):
    invitation = InvitationFactory(association=admin.association, email="deja@example.org")
    UserFactory(email="deja@example.org")
    with pytest.raises(ConflictError) as refused:
        services.accept_invitation_with_new_account(
            invitation=invitation, first_name="A", last_name="B", password="x" * 20, language="fr"
        )
    assert refused.value.code == "account_exists"


def test_forged_tokens_point_nowhere(admin):
    invitation = _invite(admin)
    token = invitation_token(invitation)
    assert invitation_id_from_token(token) == invitation.pk
    assert invitation_id_from_token(token[:-2] + "xx") is None
    assert invitation_id_from_token("1") is None


def test_a_mail_server_failure_keeps_the_invitation_in_the_outbox_to_retry(
    admin, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(admin)
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    notification = Notification.objects.get()
    assert notification.status == Notification.Status.PENDING  # a refused connection: later
    assert notification.next_attempt_at is not None
    assert "ConnectionRefusedError" in notification.last_error
    assert notification.association_id == admin.association_id  # on the admins' jobs page


@time_machine.travel(NOW, tick=False)
def test_an_invitation_goes_out_exactly_once_through_the_outbox_with_its_link(
    admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(admin)
    call_command("run_scans", "deliver_notifications", stdout=io.StringIO())
    [message] = mail.outbox
    link = settings.SITE_URL + reverse(
        "account:invitation", kwargs={"token": invitation_token(invitation)}
    )
    assert link in message.body.splitlines()
    notification = Notification.objects.get()
    assert (notification.recipient, notification.email) == (None, "nouvelle@example.org")
    assert (notification.kind, notification.status) == ("invitation", "sent")
    assert (notification.by_email, notification.in_app) == (True, False)
    assert "/me/notifications/" not in message.body  # no account, no notifications page


def test_an_invitation_to_an_existing_account_is_not_shown_in_its_app(
    admin, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="nouvelle@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        _invite(admin)
    assert len(mail.outbox) == 1
    assert not Notification.objects.filter(recipient=existing).exists()
