"""The association home, join requests, households and settings."""

import pytest
from django.urls import reverse

from members.models import Association, Membership
from tests.factories.members import MembershipFactory

pytestmark = pytest.mark.django_db


def test_home_shows_my_role_and_status(member_client, member):
    html = member_client.get(
        reverse("members:home", kwargs={"slug": member.association.slug}),
        HTTP_ACCEPT_LANGUAGE="fr",
    ).content.decode()
    assert "<h1>Autopartage de Testville</h1>" in html
    assert "Membre" in html and "Actif" in html
    assert "Administration" not in html


def test_home_tells_admins_about_pending_requests(admin_client_, admin):
    MembershipFactory(association=admin.association, status="pending")
    html = admin_client_.get(
        reverse("members:home", kwargs={"slug": admin.association.slug}),
        HTTP_ACCEPT_LANGUAGE="fr",
    ).content.decode()
    assert "Une demande d’adhésion attend une réponse." in html


def test_home_includes_sections_registered_by_other_apps(member_client, member, monkeypatch):
    from members import home_sections

    monkeypatch.setattr(home_sections, "_home", home_sections.SectionRegistry())
    home_sections.register_home_section(
        "demo", "members/emails/invitation_subject.txt", lambda m: {"association": m.association}
    )
    home_sections.register_home_section("hidden", "nowhere.html", lambda m: None)
    html = member_client.get(
        reverse("members:home", kwargs={"slug": member.association.slug}),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "Invitation to join Autopartage de Testville" in html


def test_a_resident_asks_to_join_and_sees_the_answer(
    outsider_client, outsider, admin_client_, admin
):
    slug = admin.association.slug
    assert outsider_client.get(reverse("account:join_list")).status_code == 200
    response = outsider_client.post(
        reverse("account:join", kwargs={"slug": slug}), {"message": "Rue du Lavoir"}
    )
    assert response.status_code == 302
    request = Membership.objects.get(user=outsider.user, association=admin.association)
    assert request.status == "pending"
    admin_client_.post(
        reverse("members:refuse", kwargs={"slug": slug, "pk": request.pk}),
        {"reason": "Réservé aux habitants"},
    )
    page = outsider_client.get(reverse("account:associations")).content.decode()
    assert "Réservé aux habitants" in page
    again = outsider_client.post(reverse("account:join", kwargs={"slug": "nowhere"}))
    assert again.status_code == 404


def test_household_declaration_and_leaving(member_client, member, admin):
    url = reverse("members:household", kwargs={"slug": member.association.slug})
    assert member_client.post(url, {"other": admin.pk}).status_code == 302
    assert Membership.objects.get(pk=admin.pk).household is not None
    page = member_client.get(url).content.decode()
    assert admin.user.display_name in page
    member_client.post(reverse("members:household_leave", kwargs={"slug": member.association.slug}))
    assert Membership.objects.get(pk=admin.pk).household is None


def test_a_member_of_another_association_cannot_be_declared(member_client, member, outsider):
    url = reverse("members:household", kwargs={"slug": member.association.slug})
    assert member_client.post(url, {"other": outsider.pk}).status_code == 400
    assert Membership.objects.get(pk=outsider.pk).household is None


def test_settings_are_saved_and_checked(admin_client_, admin):
    url = reverse("members:settings", kwargs={"slug": admin.association.slug})
    form = admin_client_.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "id"}
    data.update({"membership_fee": "15.00", "approval_required_default": "on"})
    data.pop("agreement_required")
    assert admin_client_.post(url, data).status_code == 302
    association = Association.objects.get(pk=admin.association.pk)
    assert str(association.membership_fee) == "15.00"
    assert association.approval_required_default and not association.agreement_required
    bad = admin_client_.post(url, {**data, "time_zone": "Mars/Olympus"})
    assert bad.status_code == 400
    assert Association.objects.get(pk=admin.association.pk).time_zone == "Europe/Paris"
