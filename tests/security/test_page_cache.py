"""Whole pages from the cache (core.pages) as a hostile member and as another association's
admin: a cached page is never another person's, never outlives the membership that opened
it, and is never served to someone signed out."""

import pytest
from django.test import Client

from carshare.context_processors import offline_user_code
from members.models import Membership
from tests.conftest import forget_cached_fragments
from tests.factories.members import MembershipFactory

pytestmark = pytest.mark.django_db
PAGES = ("/testville/", "/testville/planning/", "/testville/bookings/", "/testville/ledger/me/")


def signed_in(membership: Membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


def main(response) -> str:
    """The page's own part (the header and footer hold the request's token)."""
    html = response.content.decode()
    return html.split('<main id="main"')[1].split("</main>")[0]


def named(membership: Membership, first_name: str) -> Membership:
    membership.user.first_name, membership.user.last_name = first_name, "Témoin"
    membership.user.save()
    return membership


@pytest.mark.parametrize("path", PAGES)
def test_a_page_cached_for_one_member_is_never_served_to_another(path, association, admin):
    alice = named(MembershipFactory(association=association), "Alice")
    bruno = named(MembershipFactory(association=association), "Bruno")
    named(admin, "Adèle")
    for first, second in ((alice, bruno), (admin, alice), (bruno, admin)):
        forget_cached_fragments()
        alone = main(signed_in(second).get(path))  # rendered for them, nothing cached
        forget_cached_fragments()
        first_html = signed_in(first).get(path).content.decode()  # now cached for `first`
        second_response = signed_in(second).get(path)
        assert main(second_response) == alone
        # The service worker keeps offline pages under this person's code, not `first`'s.
        code = offline_user_code(second.user)
        assert f'<meta name="carshare-user" content="{code}">' in second_response.content.decode()
        assert f"{first.user.first_name} Témoin" in first_html
        assert f"{first.user.first_name} Témoin" not in second_response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_another_associations_admin_gets_404_for_a_cached_page(path, member, outsider):
    outsider.role = Membership.Role.ADMIN
    outsider.save()
    assert signed_in(member).get(path).status_code == 200  # now cached
    assert signed_in(outsider).get(path).status_code == 404


@pytest.mark.parametrize("path", PAGES)
def test_a_member_who_left_or_signed_out_is_not_served_the_cached_page(path, member):
    client = signed_in(member)
    assert client.get(path).status_code == 200
    Membership.objects.filter(pk=member.pk).update(status=Membership.Status.LEFT)
    assert client.get(path).status_code == 404
    Membership.objects.filter(pk=member.pk).update(status=Membership.Status.ACTIVE)
    assert client.get(path).status_code == 200
    client.logout()
    assert client.get(path).status_code == 302  # to the log-in page


@pytest.mark.parametrize("path", PAGES)
def test_an_admin_demoted_to_member_gets_the_members_page(path, admin):
    client = signed_in(admin)
    assert "/testville/members/" in client.get(path).content.decode()  # the admin's menu
    Membership.objects.filter(pk=admin.pk).update(role=Membership.Role.MEMBER)
    assert "/testville/members/" not in client.get(path).content.decode()
