"""The installable app: the manifest, the service worker and the offline page."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from carshare.context_processors import offline_user_code

pytestmark = pytest.mark.django_db


def test_the_manifest_names_the_app_its_icons_and_how_it_opens():
    response = Client().get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["short_name"] == "carshare" and manifest["name"]
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/",
        "/",
        "standalone",
    )
    assert manifest["theme_color"] == "#0b5c3b"
    icons = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert icons == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        assert icon["src"].startswith("/static/")  # nothing from another origin
        png = Client().get(icon["src"])
        assert png.status_code == 200
        content = b"".join(png.streaming_content) if png.streaming else png.content
        size = int(icon["sizes"].split("x")[0])
        assert content[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(content[16:20], "big") == size  # the PNG header's width


def test_the_service_worker_is_served_from_the_root_for_the_whole_site():
    response = Client().get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    script = response.content.decode()
    assert '"/offline/"' in script and '"/accounts/logout/"' in script
    assert "http://" not in script and "https://" not in script  # same origin only


def test_the_policy_lets_the_worker_and_the_manifest_load_from_this_site_only():
    policy = Client().get("/")["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy


def test_the_offline_page_shows_nobodys_data(member):
    client = Client()
    client.force_login(member.user)
    html = client.get("/offline/").content.decode()
    assert member.user.display_name not in html
    assert member.association.name not in html


def test_pages_tell_the_worker_who_is_signed_in(member, outsider):
    client = Client()
    assert 'name="carshare-user" content=""' in client.get("/").content.decode()
    client.force_login(member.user)
    code = offline_user_code(member.user)
    assert f'name="carshare-user" content="{code}"' in client.get("/").content.decode()
    assert code != offline_user_code(outsider.user)
    assert str(member.user.pk) != code


def test_only_the_next_bookings_are_marked_to_keep_offline(member_client, member):
    from bookings.models import Booking
    from tests.factories.bookings import BookingFactory
    from tests.factories.vehicles import owned_vehicle

    car = owned_vehicle(member)
    upcoming = BookingFactory(vehicle=car, driver=member, start=timezone.now() + timedelta(days=2))
    past = BookingFactory(vehicle=car, driver=member, status=Booking.Status.COMPLETED)
    past.start = past.start.replace(year=2020)
    past.end = past.start.replace(hour=18)
    past.blocks_until = past.end
    past.save()
    html = member_client.get("/testville/bookings/").content.decode()
    assert f'href="/testville/bookings/{upcoming.pk}/" data-offline' in html
    assert f'href="/testville/bookings/{past.pk}/" data-offline' not in html
