"""Issue 15's write and read paths, read by hostile callers: founding without a confirmed
address or in bulk, the contact form's spam, the public page and photos of a closed or
suspended association, the report and the founding kit of another association, and an
admin who tries to lift their own association's suspension."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.test import Client
from rest_framework.test import APIClient

from members.models import Association, ContactMessage
from members.services.founding import suspend_association
from tests.factories.members import AssociationFactory, MembershipFactory, UserFactory
from tests.factories.vehicles import VehicleFactory, png_upload

pytestmark = pytest.mark.django_db

FOUNDING = {
    "name": "Autopartage de Testville",
    "commune": "Testville",
    "postcode": "63190",
    "address": "Mairie",
}
NOW = dt.datetime(2026, 5, 12, 10, 0, tzinfo=dt.UTC)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- Founding ------------------------------------------------------------------------------


def test_an_unverified_address_cannot_found_by_the_api_nor_the_page():
    stranger = UserFactory(verified=False)
    response = _api(stranger).post("/api/v1/associations/", FOUNDING, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "email_not_verified")
    client = Client()
    client.force_login(stranger)
    assert client.post("/associations/new/", FOUNDING).status_code == 403
    assert not Association.objects.exists()


def test_a_verified_address_of_someone_else_does_not_count():
    """Only a confirmed address of the caller's own account opens founding."""
    stranger = UserFactory(verified=False)
    EmailAddress.objects.create(
        user=UserFactory(verified=False), email=stranger.email.upper(), verified=True
    )
    response = _api(stranger).post("/api/v1/associations/", FOUNDING, format="json")
    assert response.status_code == 403


def test_founding_in_bulk_is_rate_limited(settings):
    settings.FOUNDING_LIMIT = 3
    spammer = UserFactory()
    client = _api(spammer)
    answers = [
        client.post("/api/v1/associations/", {**FOUNDING, "name": f"Spam {n}"}, format="json")
        for n in range(6)
    ]
    assert [answer.status_code for answer in answers] == [201, 201, 201, 429, 429, 429]
    assert Association.objects.filter(founded_by=spammer).count() == 3
    # Another page, the same limit: the rule lives in the service.
    page = Client()
    page.force_login(spammer)
    assert (
        page.post("/associations/new/", {**FOUNDING, "contact_email": "a@b.example"}).status_code
        == 429
    )


def test_a_stranger_cannot_found_or_take_a_slug():
    response = APIClient().post("/api/v1/associations/", FOUNDING, format="json")
    assert response.status_code in (401, 403)
    existing = AssociationFactory(slug="testville")
    founder = _api(UserFactory())
    for slug, code in (("testville", "slug_taken"), ("django-admin", "slug_reserved")):
        response = founder.post("/api/v1/associations/", {**FOUNDING, "slug": slug}, format="json")
        assert (response.status_code, response.json()["code"]) == (400, code)
    assert Association.objects.get(slug="testville") == existing


def test_founding_ignores_fields_a_founder_may_not_set():
    """Public, listed, suspended or founded by someone else: nothing of it through the API."""
    founder = UserFactory()
    other = UserFactory()
    data = {
        **FOUNDING,
        "public_page": True,
        "listed_in_directory": True,
        "suspended_at": None,
        "founded_by": other.pk,
    }
    response = _api(founder).post("/api/v1/associations/", data, format="json")
    assert response.status_code == 201
    association = Association.objects.get()
    assert (association.public_page, association.listed_in_directory) == (False, False)
    assert association.founded_by == founder


# --- Suspension ----------------------------------------------------------------------------


def test_an_admin_cannot_lift_a_suspension_from_the_settings(admin, admin_client_):
    suspend_association(
        operator=UserFactory(is_staff=True), association=admin.association, reason="Fraude"
    )
    slug = admin.association.slug
    response = admin_client_.post(
        f"/{slug}/settings/", {"name": "Libre", "suspended_at": "", "suspension_reason": ""}
    )
    assert response.status_code == 403
    response = _api(admin.user).get(f"/api/v1/associations/{slug}/members/")
    assert (response.status_code, response.json()["code"]) == (403, "association_suspended")
    admin.association.refresh_from_db()
    assert admin.association.is_suspended and admin.association.name != "Libre"


# --- The public page and its photos --------------------------------------------------------


def test_the_public_page_of_a_closed_or_suspended_association_is_not_found(association):
    car = VehicleFactory(association=association, photo=png_upload(), photo_public=True)
    anonymous = Client()
    urls = (f"/{association.slug}/about/", f"/{association.slug}/about/cars/{car.pk}/photo/")
    for url in urls:  # closed: the default of every association
        assert anonymous.get(url).status_code == 404
    association.public_page = True
    association.save(update_fields=["public_page"])
    for url in urls:
        assert anonymous.get(url).status_code == 200
    suspend_association(operator=UserFactory(is_staff=True), association=association, reason="x")
    for url in urls:
        assert anonymous.get(url).status_code == 404
        assert anonymous.post(url, {"name": "x"}).status_code in (404, 405)


def test_a_private_photo_never_leaks_through_the_public_view(association, other_association):
    association.public_page = True
    association.save(update_fields=["public_page"])
    private = VehicleFactory(association=association, photo=png_upload())
    foreign = VehicleFactory(association=other_association, photo=png_upload(), photo_public=True)
    anonymous = Client()
    assert anonymous.get(f"/{association.slug}/about/cars/{private.pk}/photo/").status_code == 404
    # Another association's car under this association's page: not found either.
    assert anonymous.get(f"/{association.slug}/about/cars/{foreign.pk}/photo/").status_code == 404


def _contact_form(client, slug):
    with time_machine.travel(NOW, tick=False):
        return client.get(f"/{slug}/about/").context["form"]["stamp"].value()


def test_contact_form_spam_is_dropped_and_floods_are_refused(association, settings):
    settings.CONTACT_LIMIT_PER_SENDER_HOUR = 2
    association.public_page = True
    association.save(update_fields=["public_page"])
    client = Client()
    stamp = _contact_form(client, association.slug)
    spam = {
        "name": "Bot",
        "email": "bot@spam.example",
        "message": "Buy cheap pills now, best prices!",
        "stamp": stamp,
    }
    with time_machine.travel(NOW + dt.timedelta(seconds=1), tick=False):  # too fast for a person
        client.post(f"/{association.slug}/about/", spam)
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):  # the trap filled in
        client.post(f"/{association.slug}/about/", {**spam, "website": "http://spam.example"})
    assert not ContactMessage.objects.exists()
    statuses = []
    for minute in range(2, 7):
        with time_machine.travel(NOW + dt.timedelta(minutes=minute), tick=False):
            statuses.append(client.post(f"/{association.slug}/about/", spam).status_code)
    assert statuses == [302, 302, 429, 429, 429]
    assert ContactMessage.objects.count() == 2


def test_a_forwarded_address_does_not_escape_the_contact_limit(association, settings):
    """Without trusted proxies, X-Forwarded-For is the client's own word: ignored."""
    settings.CONTACT_LIMIT_PER_SENDER_HOUR = 1
    settings.TRUSTED_PROXY_COUNT = 0
    association.public_page = True
    association.save(update_fields=["public_page"])
    client = Client()
    stamp = _contact_form(client, association.slug)
    statuses = []
    for number in range(3):
        data = {
            "name": "X",
            "email": f"x{number}@example.org",
            "message": "Un message de plus",
            "stamp": stamp,
        }
        with time_machine.travel(NOW + dt.timedelta(minutes=number + 1), tick=False):
            response = client.post(
                f"/{association.slug}/about/", data, HTTP_X_FORWARDED_FOR=f"203.0.113.{number}"
            )
        statuses.append(response.status_code)
    assert statuses == [302, 429, 429]


# --- The report and the founding kit of another association --------------------------------


def test_another_associations_report_and_kit_are_not_found(association, other_association):
    stranger_admin = MembershipFactory(association=other_association, role="admin")
    client = Client()
    client.force_login(stranger_admin.user)
    slug = association.slug
    for path in (
        f"/{slug}/reports/2025/",
        f"/{slug}/reports/2025/pdf/",
        f"/{slug}/reports/2025/csv/",
        f"/{slug}/documents/founding-kit/",
        f"/{slug}/documents/founding-kit/statutes/",
        f"/{slug}/documents/founding-kit/internal-rules/",
    ):
        assert client.get(path).status_code == 404, path


def test_a_member_may_not_read_the_report_nor_print_the_kit(association, member_client):
    slug = association.slug
    for path in (
        f"/{slug}/reports/2025/",
        f"/{slug}/reports/2025/csv/",
        f"/{slug}/documents/founding-kit/statutes/",
    ):
        assert member_client.get(path).status_code == 403, path


# --- A suspended association's own admin ---------------------------------------------------


def test_a_suspended_associations_admin_reads_prints_and_writes_nothing(admin, admin_client_):
    """Suspended by the operators: the admin's report (page, PDF, CSV), founding kit,
    announcements and settings are closed (403, the French suspension page), and the
    association leaves the directory."""
    from bookings.models import Announcement

    association = admin.association
    association.public_page = association.listed_in_directory = True
    association.save(update_fields=["public_page", "listed_in_directory"])
    assert association.name in Client().get("/associations/").content.decode()
    suspend_association(operator=UserFactory(is_staff=True), association=association, reason="x")
    slug = association.slug
    for path in (
        f"/{slug}/reports/2025/",
        f"/{slug}/reports/2025/pdf/",
        f"/{slug}/reports/2025/csv/",
        f"/{slug}/documents/founding-kit/",
        f"/{slug}/documents/founding-kit/statutes/",
        f"/{slug}/announcements/",
        f"/{slug}/settings/",
    ):
        assert admin_client_.get(path).status_code == 403, path
    written = {"audience": "all", "subject": "Fermeture", "body": "Rouvrez-nous"}
    assert admin_client_.post(f"/{slug}/announcements/", written).status_code == 403
    assert not Announcement.objects.exists()
    assert association.name not in Client().get("/associations/").content.decode()
