"""The layout's header and footer come from a cache keyed by everything they show
(carshare.templatetags.layout): any change shows on the next page, and the forms carry the
request's own CSRF token."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from members.models import Membership
from notifications.models import Notification
from tests.factories.members import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def header(client: Client, path: str = "/testville/") -> str:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def notify(membership: Membership, **fields) -> Notification:
    return Notification.objects.create(
        recipient=membership.user, kind="test", key=f"k{timezone.now().timestamp()}",
        subject="Sujet", body="Corps", **fields,
    )  # fmt: skip


def test_the_unread_badge_follows_the_notifications_at_once(member, member_client):
    assert "badge" not in header(member_client)
    first = notify(member)
    assert ">1<span" in header(member_client)
    notify(member)
    assert ">2<span" in header(member_client)
    Notification.objects.filter(pk=first.pk).update(read_at=timezone.now())  # behind services
    assert ">1<span" in header(member_client)


def test_a_new_name_and_a_new_association_show_on_the_next_page(member, member_client):
    member.user.first_name, member.user.last_name = "Zoé", "Neuve"
    member.user.save()
    assert "Zoé Neuve" in header(member_client)
    assert "switcher" not in header(member_client)
    MembershipFactory(user=member.user, association=AssociationFactory(name="Autre Village"))
    html = header(member_client)
    assert "switcher" in html and "Autre Village" in html
    assert re.search(r'href="/testville/" aria-current="page"', html)


def test_the_menu_marks_the_page_it_is_on_and_admins_see_their_entries(
    member, member_client, admin, admin_client_
):
    on_planning = header(member_client, "/testville/planning/")
    assert re.search(r'href="/testville/planning/" aria-current="page"', on_planning)
    on_home = header(member_client)
    assert not re.search(r'href="/testville/planning/" aria-current', on_home)
    assert "/testville/members/" not in on_home
    assert "/testville/members/" in header(admin_client_)


def test_each_browser_gets_its_own_csrf_token_and_logs_out_with_it(member):
    browsers = [Client(enforce_csrf_checks=True) for _ in range(2)]
    tokens = []
    for browser in browsers:
        browser.force_login(member.user)
        html = browser.get("/testville/").content.decode()
        found = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert len(found) == 2 and "csrf-token-of-the-request" not in html  # header, footer
        tokens.append(found[0])
    assert tokens[0] != tokens[1]
    assert Session.objects.count() == 2
    for browser, token in zip(browsers, tokens, strict=True):
        response = browser.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
        assert response.status_code == 302
        assert browser.get("/testville/").status_code == 302  # to the log-in page
    assert Session.objects.count() == 0


def test_the_footer_sends_back_to_the_page_escaped(member_client):
    html = member_client.get('/testville/planning/?date="><b>x').content.decode()
    assert 'value="/testville/planning/?date=%22%3E%3Cb%3Ex"' in html or (
        'value="/testville/planning/?date=&quot;&gt;&lt;b&gt;x"' in html
    )
    assert "next-path-of-the-request" not in html


def test_the_header_follows_the_language(member_client):
    assert "Se déconnecter" in header(member_client)
    html = member_client.get("/testville/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log out" in html


def test_an_expired_or_unknown_session_is_nobody(member, member_client):
    assert member_client.get("/testville/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert member_client.get("/testville/").status_code == 302
    stranger = Client()
    stranger.cookies["sessionid"] = "x" * 32
    assert stranger.get("/testville/").status_code == 302


def test_a_deactivated_person_is_signed_out_on_the_next_request(member, member_client):
    assert member_client.get("/testville/").status_code == 200
    type(member.user).objects.filter(pk=member.user.pk).update(is_active=False)
    assert member_client.get("/testville/").status_code == 302
