import pytest
from django.urls import reverse

from members.models import Membership
from tests.factories.members import MembershipFactory

pytestmark = pytest.mark.django_db


def _post(client, name, membership, data=None):
    url = reverse(
        f"members:{name}", kwargs={"slug": membership.association.slug, "pk": membership.pk}
    )
    return client.post(url, data or {}, follow=True, HTTP_ACCEPT_LANGUAGE="fr")


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def _status(membership):
    return Membership.objects.get(pk=membership.pk).status


def test_accept_a_join_request(admin_client_, admin):
    pending = MembershipFactory(association=admin.association, status="pending")
    response = _post(admin_client_, "accept", pending)
    assert _status(pending) == "active"
    assert _messages(response) == [f"{pending.user.display_name} est maintenant membre."]


def test_refuse_needs_a_reason(admin_client_, admin):
    pending = MembershipFactory(association=admin.association, status="pending")
    response = _post(admin_client_, "refuse", pending)
    assert _status(pending) == "pending"
    assert _messages(response) == [
        "Indiquez pourquoi la demande est refusée : la personne le lira."
    ]
    _post(admin_client_, "refuse", pending, {"reason": "Vous n'habitez pas la commune."})
    refused = Membership.objects.get(pk=pending.pk)
    assert (refused.status, refused.refusal_reason) == ("refused", "Vous n'habitez pas la commune.")


def test_suspend_reactivate_remove(admin_client_, member):
    _post(admin_client_, "suspend", member)
    assert _status(member) == "suspended"
    _post(admin_client_, "reactivate", member)
    assert _status(member) == "active"
    _post(admin_client_, "remove", member)
    assert _status(member) == "left"


def test_demoting_the_last_admin_shows_a_french_message(admin_client_, admin):
    response = _post(admin_client_, "role", admin, {"role": "member"})
    assert Membership.objects.get(pk=admin.pk).role == "admin"
    assert _messages(response) == [
        f"{admin.user.display_name} est le dernier administrateur de Autopartage de Testville : "
        "nommez d’abord un autre administrateur."
    ]


def test_change_role_and_fee(admin_client_, member):
    _post(admin_client_, "role", member, {"role": "admin"})
    assert Membership.objects.get(pk=member.pk).role == "admin"
    response = _post(admin_client_, "fee", member, {"fee_paid_until": "2027-09-30"})
    assert str(Membership.objects.get(pk=member.pk).fee_paid_until) == "2027-09-30"
    assert response.status_code == 200
    response = _post(admin_client_, "fee", member, {"fee_paid_until": "2027-02-30"})
    assert _messages(response) == ["Saisissez une date valide."]


def test_members_cannot_act(member_client, admin):
    response = member_client.post(
        reverse("members:suspend", kwargs={"slug": admin.association.slug, "pk": admin.pk})
    )
    assert response.status_code == 403
    assert _status(admin) == "active"
