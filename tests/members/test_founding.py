"""Founding an association: the service, the page and POST /api/v1/associations/."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from members.models import Association, AuditEntry, Membership
from members.services.founding import (
    FoundingData,
    derived_slug,
    found_association,
    zone_for_postcode,
)
from tests.factories.members import AssociationFactory, UserFactory

pytestmark = pytest.mark.django_db

TESTVILLE = FoundingData(
    name="Autopartage de Testville",
    commune="Testville",
    postcode="63190",
    address="Mairie, 2 place de la Halle, 63190 Testville",
    contact_email="bureau@testville.example",
)
API = "/api/v1/associations/"


def _json(**overrides):
    data = {
        "name": TESTVILLE.name,
        "commune": TESTVILLE.commune,
        "postcode": TESTVILLE.postcode,
        "address": TESTVILLE.address,
        "contact_email": TESTVILLE.contact_email,
    }
    return data | overrides


@pytest.fixture
def founder():
    return UserFactory(email="fondatrice@example.org")


@pytest.fixture
def founder_client(founder):
    client = Client()
    client.force_login(founder)
    return client


def test_the_founder_becomes_the_first_administrator(founder):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        association = found_association(founder=founder, data=TESTVILLE)
    assert association.slug == "autopartage-de-testville"
    assert (association.commune, association.postcode) == ("Testville", "63190")
    assert association.time_zone == "Europe/Paris"
    assert association.founded_by == founder
    membership = Membership.objects.get(association=association)
    assert (membership.user, membership.role, membership.status) == (
        founder,
        Membership.Role.ADMIN,
        Membership.Status.ACTIVE,
    )
    assert membership.joined_on == dt.date(2026, 3, 2)
    assert AuditEntry.objects.filter(action="association.founded", actor=founder).count() == 1
    # Nothing is public until the admins decide so; the rules wait for their review.
    assert not association.public_page and not association.listed_in_directory
    assert association.rules_confirmed_at is None


def test_the_slug_is_derived_from_the_name_and_made_unique(founder):
    AssociationFactory(slug="autopartage-de-testville")
    AssociationFactory(slug="autopartage-de-testville-2")
    association = found_association(founder=founder, data=TESTVILLE)
    assert association.slug == "autopartage-de-testville-3"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Autopartage d'Ailleurs", "autopartage-d-ailleurs"),
        ("Les Voitures Partagées de Saint-Étienne", "les-voitures-partagees-de-saint-etienne"),
        ("API", "api"),
        ("!!!", "association"),
    ],
)
def test_derived_slugs(name, slug):
    assert derived_slug(name) == slug


def test_a_derived_slug_never_takes_a_reserved_one(founder):
    association = found_association(
        founder=founder,
        data=TESTVILLE.__class__(
            name="Associations", commune="X", postcode="63000", address="Mairie"
        ),
    )
    assert association.slug == "associations-2"


@pytest.mark.parametrize(
    ("slug", "code"),
    [("api", "slug_reserved"), ("associations", "slug_reserved"), ("Pas un slug", "slug_invalid")],
)
def test_a_reserved_or_malformed_slug_is_refused(founder, slug, code):
    data = FoundingData(**{**TESTVILLE.__dict__, "slug": slug})
    with pytest.raises(DomainError) as refused:
        found_association(founder=founder, data=data)
    assert (refused.value.code, refused.value.extra["field"]) == (code, "slug")
    assert not Association.objects.exists()


def test_a_taken_slug_is_refused(founder, association):
    data = FoundingData(**{**TESTVILLE.__dict__, "slug": association.slug})
    with pytest.raises(DomainError) as refused:
        found_association(founder=founder, data=data)
    assert refused.value.code == "slug_taken"
    assert Association.objects.count() == 1


def test_an_unverified_address_cannot_found(founder):
    EmailAddress.objects.filter(user=founder).update(verified=False)
    with pytest.raises(DomainError) as refused:
        found_association(founder=founder, data=TESTVILLE)
    assert (refused.value.code, refused.value.http_status) == ("email_not_verified", 403)
    assert not Association.objects.exists()


def test_founding_is_rate_limited_per_person(founder, settings):
    settings.FOUNDING_LIMIT, settings.FOUNDING_WINDOW_HOURS = 2, 24
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for number in (1, 2):
            found_association(
                founder=founder, data=FoundingData(**{**TESTVILLE.__dict__, "name": f"A{number}"})
            )
    with time_machine.travel(start + dt.timedelta(hours=5), tick=False):
        with pytest.raises(DomainError) as refused:
            found_association(founder=founder, data=TESTVILLE)
        other = UserFactory()
        found_association(founder=other, data=TESTVILLE)  # another person is not limited
    assert (refused.value.code, refused.value.http_status) == ("rate_limited", 429)
    assert refused.value.extra["retry_after"] == 19 * 3600
    with time_machine.travel(start + dt.timedelta(hours=24, minutes=1), tick=False):
        found_association(
            founder=founder, data=FoundingData(**{**TESTVILLE.__dict__, "name": "A3"})
        )
    assert Association.objects.filter(founded_by=founder).count() == 3


@pytest.mark.parametrize(
    ("postcode", "zone"),
    [("63190", "Europe/Paris"), ("97300", "America/Cayenne"), ("97400", "Indian/Reunion")],
)
def test_the_time_zone_follows_the_postcode(postcode, zone):
    assert zone_for_postcode(postcode) == zone


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [("name", "  ", "required"), ("postcode", "6319", "invalid"), ("address", "", "required")],
)
def test_missing_or_bad_fields_are_refused_on_the_field(founder, field, value, code):
    data = FoundingData(**{**TESTVILLE.__dict__, field: value})
    with pytest.raises(DomainError) as refused:
        found_association(founder=founder, data=data)
    assert (refused.value.code, refused.value.extra["field"]) == (code, field)


# --- The API -------------------------------------------------------------------------------


def test_api_founds_and_answers_201_with_the_slug(founder_client, founder):
    response = founder_client.post(API, _json(), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "autopartage-de-testville"
    assert (body["name"], body["postcode"], body["my_role"]) == (TESTVILLE.name, "63190", "admin")
    listed = founder_client.get(API).json()
    assert [item["slug"] for item in listed] == ["autopartage-de-testville"]


def test_api_contact_address_defaults_to_the_founders(founder_client, founder):
    response = founder_client.post(API, _json(contact_email=""), content_type="application/json")
    assert response.json()["contact_email"] == founder.email


def test_api_answers_400_with_field_errors(founder_client):
    response = founder_client.post(
        API,
        {"name": "", "postcode": "abc"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400
    errors = response.json()
    assert {"name", "commune", "postcode", "address"} <= set(errors)
    assert "cinq chiffres" in errors["postcode"][0]
    assert not Association.objects.exists()


@pytest.mark.parametrize(("slug", "code"), [("me", "slug_reserved"), ("testville", "slug_taken")])
def test_api_refuses_a_reserved_or_taken_slug(founder_client, association, slug, code):
    response = founder_client.post(API, _json(slug=slug), content_type="application/json")
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == (code, "slug")


def test_api_refuses_an_unverified_founder_with_403(founder_client, founder):
    EmailAddress.objects.filter(user=founder).update(verified=False)
    response = founder_client.post(API, _json(), content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (403, "email_not_verified")


def test_api_answers_429_in_french_past_the_limit(founder_client, settings):
    settings.FOUNDING_LIMIT = 1
    assert founder_client.post(API, _json(), content_type="application/json").status_code == 201
    response = founder_client.post(
        API,
        _json(name="Encore une"),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "rate_limited" and body["retry_after"] > 0
    assert "Vous avez déjà fondé 1 association" in body["detail"]


def test_api_needs_a_signed_in_caller():
    response = Client().post(API, _json(), content_type="application/json")
    assert response.status_code in (401, 403)
    assert not Association.objects.exists()


# --- The page ------------------------------------------------------------------------------


def test_the_page_founds_and_opens_the_association_home(founder_client):
    page = founder_client.get(reverse("account:found"), HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 200
    assert "fondatrice@example.org" in page.content.decode()  # the contact address, pre-filled
    data = _json() | {"contact_email": "fondatrice@example.org", "slug": ""}
    response = founder_client.post(reverse("account:found"), data, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    assert response["Location"] == "/autopartage-de-testville/"
    home = founder_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Premiers pas" in home


def test_the_page_shows_field_errors(founder_client):
    response = founder_client.post(
        reverse("account:found"), _json(postcode="12", slug="api"), HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 400
    assert "cinq chiffres" in response.content.decode()
    response = founder_client.post(
        reverse("account:found"), _json(slug="api"), HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 400
    assert "réservé" in response.content.decode()


def test_the_page_tells_an_unverified_person_to_confirm_their_address(founder_client, founder):
    EmailAddress.objects.filter(user=founder).update(verified=False)
    for method in ("get", "post"):
        response = getattr(founder_client, method)(
            reverse("account:found"),
            _json() if method == "post" else None,
            HTTP_ACCEPT_LANGUAGE="fr",
        )
        assert response.status_code == 403
        assert "Confirmez d’abord votre adresse e-mail" in response.content.decode()
    assert not Association.objects.exists()


def test_the_page_says_when_the_limit_is_reached(founder_client, settings):
    settings.FOUNDING_LIMIT = 0
    response = founder_client.post(reverse("account:found"), _json(), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 429
    assert "réessayez plus tard" in response.content.decode()


def test_the_page_asks_anonymous_visitors_to_log_in():
    response = Client().get(reverse("account:found"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_founded_association_keeps_its_created_time(founder):
    before = timezone.now()
    association = found_association(founder=founder, data=TESTVILLE)
    assert association.created_at >= before
