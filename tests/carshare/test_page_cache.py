"""Whole pages from the cache (core.pages): the four pages people reload most are rendered
once per state of what they show; the CSRF token, the header and the footer are the
request's own; a page with a message to show is rendered as usual."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client

from bookings.models import WaitingEntry
from core.pages import CSRF_PLACEHOLDER
from tests.factories.vehicles import owned_vehicle

pytestmark = pytest.mark.django_db
PAGES = ("/testville/", "/testville/planning/", "/testville/bookings/", "/testville/ledger/me/")
NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo("Europe/Paris"))
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def page_keys() -> set[str]:
    """The keys of cached pages, in the local-memory cache or in Redis (CI's second pass)."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        client = backend._cache.get_client(write=False)
        return {key.decode() for key in client.scan_iter(match="*:page:*")}
    return {key for key in backend._cache if ":page:" in key}


@pytest.mark.parametrize("path", PAGES)
def test_a_page_is_rendered_once_then_served_with_the_requests_own_parts(path, member):
    browsers = [Client(enforce_csrf_checks=True) for _ in range(2)]
    pages = []
    for browser in browsers:
        browser.force_login(member.user)
        html = browser.get(path).content.decode()
        assert CSRF_PLACEHOLDER not in html and "<!--layout:" not in html
        assert '<header class="site-header">' in html and "language-form" in html
        tokens = set(TOKEN.findall(html))
        assert len(tokens) == 1  # every form of the page has the request's token
        pages.append((html, tokens.pop()))
    assert len(page_keys()) == 1  # the second browser got the first one's page
    (first, first_token), (second, second_token) = pages
    assert first_token != second_token
    assert first.replace(first_token, "") == second.replace(second_token, "")


def test_a_query_string_makes_no_new_entry_unless_the_page_shows_it(member_client):
    member_client.get("/testville/planning/")
    for junk in range(5):
        member_client.get(f"/testville/planning/?junk={junk}")
    assert len(page_keys()) == 1
    member_client.get("/testville/planning/?date=2026-12-24")  # another week: another page
    assert len(page_keys()) == 2


def test_the_footer_returns_to_the_requests_own_path(member_client):
    member_client.get("/testville/bookings/")
    html = member_client.get("/testville/bookings/?page=1&x=%3Cb%3E").content.decode()
    assert 'name="next" type="hidden" value="/testville/bookings/?page=1&amp;x=%3Cb%3E"' in html


def test_a_page_with_a_message_shows_it_and_is_not_cached(member_client):
    member_client.get("/testville/ledger/me/")
    html = member_client.get("/testville/ledger/me/?period=nonsense").content.decode()
    assert 'class="message' in html  # the malformed period is told, once
    assert 'class="message' not in member_client.get("/testville/ledger/me/").content.decode()


def test_a_cached_page_is_in_french_typography_once(member_client):
    for _ in range(2):
        html = member_client.get("/testville/ledger/me/").content.decode()
        assert "Mon compte" in html
        assert "\u00a0\u00a0" not in html  # no space doubled by typesetting twice


def test_the_waiting_lists_forms_carry_the_token_of_the_browser_that_sends_them(member):
    clio = owned_vehicle(member, name="Clio")
    with time_machine.travel(NOW, tick=False):
        start = NOW + dt.timedelta(days=3)
        entry = WaitingEntry.objects.create(
            vehicle=clio, member=member, start=start, end=start + dt.timedelta(hours=2)
        )
        for _ in range(2):  # the second from the cache, with its own token
            browser = Client(enforce_csrf_checks=True)
            browser.force_login(member.user)
            html = browser.get("/testville/bookings/").content.decode()
            token = TOKEN.findall(html)[0]
            assert "Quitter" in html or "Leave" in html
        response = browser.post(
            f"/testville/bookings/waiting/{entry.pk}/leave/", {"csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302
        assert not WaitingEntry.objects.filter(pk=entry.pk).exists()
