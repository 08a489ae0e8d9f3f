"""The public page /<slug>/about/, its contact form, the directory /associations/ and the
public car photos: what anyone may read, and no personal data."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import AuditEntry, ContactMessage, Membership
from tests.factories.members import AssociationFactory, MembershipFactory, UserFactory
from tests.factories.vehicles import (
    InsurancePolicyFactory,
    TariffFactory,
    VehicleFactory,
    VehicleOwnershipFactory,
    png_upload,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 12, 10, 0, tzinfo=dt.UTC)
PEOPLE = [
    ("Camille", "Roux", "camille@villerouge.example", "06 12 34 56 78"),
    ("Bruno", "Lefèvre", "bruno@villerouge.example", "07 98 76 54 32"),
    ("Ève", "Petit", "eve@villerouge.example", "04 73 00 11 22"),
    ("Alice", "Martin", "admin@villerouge.example", "06 00 00 00 01"),
]


@pytest.fixture
def villerouge():
    """Demo-like: named members with e-mails and phones, cars named after their owners."""
    association = AssociationFactory(
        name="Autopartage de Villerouge",
        slug="villerouge",
        commune="Villerouge",
        postcode="63000",
        address="Mairie, 1 place de l'Église, 63000 Villerouge",
        contact_email="contact@villerouge.example",
        description="Trois voitures partagées entre voisins depuis 2024.\nRendez-vous le samedi.",
        public_page=True,
        listed_in_directory=True,
        membership_fee=Decimal("10.00"),
    )
    members = {}
    for first, last, email, phone in PEOPLE:
        user = UserFactory(first_name=first, last_name=last, email=email, phone=phone)
        role = Membership.Role.ADMIN if email.startswith("admin") else Membership.Role.MEMBER
        members[first] = MembershipFactory(association=association, user=user, role=role)
    clio = VehicleFactory(
        association=association,
        name="Clio de Camille",
        make="Renault",
        model="Clio",
        parking_place="12 rue du Lavoir, chez Camille Roux",
        usage_rules="Appeler Camille au 06 12 34 56 78",
        photo=png_upload(),
        photo_public=True,
    )
    VehicleOwnershipFactory(vehicle=clio, owner=members["Camille"])
    InsurancePolicyFactory(vehicle=clio, deductible=Decimal("500.00"))
    TariffFactory(vehicle=clio, price_per_km=Decimal("0.300"), valid_from=dt.date(2025, 1, 1))
    peugeot = VehicleFactory(
        association=association, name="208 d'Ève", make="Peugeot", model="208", photo=png_upload()
    )
    VehicleOwnershipFactory(vehicle=peugeot, owner=members["Ève"])
    TariffFactory(vehicle=peugeot, price_per_km=Decimal("0.280"), valid_from=dt.date(2025, 1, 1))
    peugeot.registration_holder = members["Ève"]
    peugeot.save(update_fields=["registration_holder"])
    return association, members, clio, peugeot


def _get(client, url, **kwargs):
    with time_machine.travel(NOW, tick=False):
        return client.get(url, HTTP_ACCEPT_LANGUAGE="fr", **kwargs)


def personal_data_in(html: str) -> list[str]:
    """Every member's name, e-mail address and phone number found in the page."""
    found = []
    for first, last, email, phone in PEOPLE:
        for value in (first, last, email, phone, phone.replace(" ", "")):
            if re.search(rf"\b{re.escape(value)}\b", html):
                found.append(value)
    return found


def test_the_public_page_tells_a_visitor_what_they_need(villerouge):
    _association, _members, clio, _peugeot = villerouge
    response = _get(Client(), reverse("members:about", kwargs={"slug": "villerouge"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Autopartage de Villerouge</h1>" in html
    assert "Villerouge (63000)" in html
    assert "Trois voitures partagées entre voisins depuis 2024.<br>Rendez-vous le samedi." in html
    assert "Comment ça marche" in html
    # French typography: a no-break space before the euro sign
    assert "10,00\u00a0€ par an" in html
    assert "Renault Clio" in html and "Peugeot 208" in html
    assert "0,300\u00a0€ par km" in html and "0,280\u00a0€ par km" in html
    assert "500,00\u00a0€" in html  # the Clio's deposit: its deductible
    assert f'src="/villerouge/about/cars/{clio.pk}/photo/"' in html  # chosen for the page
    assert html.count("/photo/") == 1  # the 208's photo was not
    assert 'href="/join/villerouge/"' in html  # ask to join


def test_the_public_page_has_its_description_and_open_graph_tags(villerouge):
    html = _get(Client(), "/villerouge/about/").content.decode()
    assert (
        '<meta name="description" content="Trois voitures partagées entre voisins depuis 2024.'
        in html
    )
    assert '<meta property="og:title" content="Autopartage de Villerouge">' in html
    assert '<meta property="og:type" content="website">' in html
    assert '<meta property="og:url" content="http://127.0.0.1:8000/villerouge/about/">' in html
    assert 'property="og:description"' in html
    assert "og:image" not in html  # no remote image, and none of the members' photos


def test_the_public_pages_carry_no_personal_data(villerouge):
    """Neither the public page nor the directory shows a member's name, e-mail or phone,
    whatever the cars are called or where they are parked; nor the association's address."""
    _association, _members, _clio, _peugeot = villerouge
    client = Client()
    about = _get(client, "/villerouge/about/").content.decode()
    listing = _get(client, "/associations/").content.decode()
    search = _get(client, "/associations/?q=Villerouge&postcode=63").content.decode()
    for page in (about, listing, search):
        assert "Autopartage de Villerouge" in page
        assert personal_data_in(page) == [], personal_data_in(page)
        assert "contact@villerouge.example" not in page
        assert "rue du Lavoir" not in page and "AB-" not in page  # parking place, plates


def test_the_control_case_finds_personal_data_where_there_is(villerouge):
    """The check above can fail: the members list of the admins shows them all."""
    _association, members, _clio, _peugeot = villerouge
    client = Client()
    client.force_login(members["Alice"].user)
    html = _get(client, "/villerouge/members/").content.decode()
    assert {"Camille", "Roux", "bruno@villerouge.example"} <= set(personal_data_in(html))


def test_a_closed_or_suspended_page_is_not_found(villerouge):
    association, members, _clio, _peugeot = villerouge
    client = Client()
    association.public_page = False
    association.listed_in_directory = False
    association.save()
    assert _get(client, "/villerouge/about/").status_code == 404
    client.force_login(members["Alice"].user)  # even for its own admin
    assert _get(client, "/villerouge/about/").status_code == 404
    association.public_page = True
    association.suspended_at = NOW
    association.save()
    assert _get(Client(), "/villerouge/about/").status_code == 404


def test_a_member_sees_a_link_to_the_association_instead_of_joining(villerouge):
    _association, members, _clio, _peugeot = villerouge
    client = Client()
    client.force_login(members["Bruno"].user)
    html = _get(client, "/villerouge/about/").content.decode()
    assert 'href="/villerouge/"' in html and 'href="/join/villerouge/"' not in html


def test_asking_to_join_from_the_public_page_logs_in_then_leaves_a_request(villerouge):
    client = Client()
    response = _get(client, "/join/villerouge/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/join/villerouge/"
    visitor = UserFactory(email="nora@example.org")
    client.force_login(visitor)
    response = client.post(
        "/join/villerouge/", {"message": "J'habite rue des Écoles."}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 302
    request = Membership.objects.get(user=visitor)
    assert (request.status, request.request_message) == ("pending", "J'habite rue des Écoles.")


# --- Public photos -------------------------------------------------------------------------


def test_a_public_photo_is_served_only_when_chosen_on_a_public_page(villerouge):
    association, _members, clio, peugeot = villerouge
    client = Client()
    response = _get(client, f"/villerouge/about/cars/{clio.pk}/photo/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert _get(client, f"/villerouge/about/cars/{peugeot.pk}/photo/").status_code == 404
    other = VehicleFactory(photo=png_upload(), photo_public=True)  # another association's car
    assert _get(client, f"/villerouge/about/cars/{other.pk}/photo/").status_code == 404
    assert _get(client, f"/villerouge/vehicles/{clio.pk}/photo/").status_code == 302  # private
    association.public_page = False
    association.listed_in_directory = False
    association.save()
    assert _get(client, f"/villerouge/about/cars/{clio.pk}/photo/").status_code == 404


# --- The directory -------------------------------------------------------------------------


def test_the_directory_lists_the_associations_that_opted_in(villerouge):
    AssociationFactory(
        name="Autopartage de Riom",
        commune="Riom",
        postcode="63200",
        public_page=True,
        listed_in_directory=True,
    )
    AssociationFactory(name="Autopartage caché", commune="Riom", postcode="63200", public_page=True)
    AssociationFactory(
        name="Autopartage suspendu",
        commune="Riom",
        postcode="63200",
        public_page=True,
        listed_in_directory=True,
        suspended_at=NOW,
    )
    AssociationFactory(
        name="Autopartage de Brest",
        commune="Brest",
        postcode="29200",
        public_page=True,
        listed_in_directory=True,
    )
    client = Client()

    def names(query: str = "") -> list[str]:
        page = _get(client, "/associations/" + query).content.decode()
        return re.findall(r'<a href="/[\w-]+/about/">([^<]+)</a>', page)

    assert names() == ["Autopartage de Brest", "Autopartage de Riom", "Autopartage de Villerouge"]
    assert names("?q=riom") == ["Autopartage de Riom"]
    assert names("?postcode=63") == ["Autopartage de Riom", "Autopartage de Villerouge"]
    assert names("?postcode=29200&q=brest") == ["Autopartage de Brest"]
    assert names("?q=Paris") == []
    bad = _get(client, "/associations/?postcode=6a")
    assert bad.status_code == 400 and "de 2 à 5 chiffres" in bad.content.decode()


# --- The contact form ----------------------------------------------------------------------


def _form(client, slug="villerouge"):
    with time_machine.travel(NOW, tick=False):
        page = client.get(f"/{slug}/about/")
    return page.context["form"]["stamp"].value()


def _post(client, stamp, *, after=dt.timedelta(seconds=30), address="198.51.100.7", **fields):
    data = {
        "name": "Nora Vidal",
        "email": "nora@example.org",
        "message": "Bonjour, peut-on emprunter une voiture le samedi ?",
        "website": "",
        "stamp": stamp,
    } | fields
    with time_machine.travel(NOW + after, tick=False):
        return client.post(
            "/villerouge/about/", data, HTTP_ACCEPT_LANGUAGE="fr", REMOTE_ADDR=address
        )


def test_a_visitor_writes_to_the_association(villerouge):
    association, _members, _clio, _peugeot = villerouge
    client = Client()
    response = _post(client, _form(client))
    assert response.status_code == 302
    assert response["Location"] == "/villerouge/about/#contact"
    message = ContactMessage.objects.get()
    assert (message.association, message.sender_email) == (association, "nora@example.org")
    assert message.body.startswith("Bonjour, peut-on")
    assert "198.51.100.7" not in message.sender_key and len(message.sender_key) == 40
    assert AuditEntry.objects.filter(action="contact.received").count() == 1
    page = _get(client, "/villerouge/about/").content.decode()
    assert "Votre message a été transmis aux administrateurs." in page


@pytest.mark.parametrize(
    ("case", "fields", "after"),
    [
        ("honeypot filled", {"website": "https://spam.example"}, dt.timedelta(seconds=30)),
        ("sent at once", {}, dt.timedelta(seconds=1)),
        ("replayed days later", {}, dt.timedelta(days=3)),
        ("forged stamp", {"stamp": "forged"}, dt.timedelta(seconds=30)),
    ],
)
def test_automated_messages_are_thanked_and_dropped(villerouge, case, fields, after):
    client = Client()
    stamp = fields.pop("stamp", None) or _form(client)
    response = _post(client, stamp, after=after, **fields)
    assert response.status_code == 302, case  # the robot learns nothing
    assert not ContactMessage.objects.exists(), case


def test_a_stamp_of_another_association_is_refused(villerouge):
    other = AssociationFactory(slug="riom", public_page=True)
    client = Client()
    stamp = _form(client, slug=other.slug)
    _post(client, stamp)
    assert not ContactMessage.objects.exists()


def test_the_contact_form_is_rate_limited_per_sender_in_french(villerouge, settings):
    settings.CONTACT_LIMIT_PER_SENDER_HOUR = 2
    client = Client()
    stamp = _form(client)
    for minute in (1, 2):
        assert _post(client, stamp, after=dt.timedelta(minutes=minute)).status_code == 302
    refused = _post(client, stamp, after=dt.timedelta(minutes=3))
    assert refused.status_code == 429
    assert "Vous avez envoyé plusieurs messages dans l’heure" in refused.content.decode()
    # The same address from another network, or another person: the e-mail counts too.
    assert (
        _post(client, stamp, after=dt.timedelta(minutes=4), address="203.0.113.9").status_code
        == 429
    )
    other = _post(
        client, stamp, after=dt.timedelta(minutes=5), address="203.0.113.9", email="eve@example.org"
    )
    assert other.status_code == 302
    assert _post(client, stamp, after=dt.timedelta(minutes=70)).status_code == 302  # an hour later
    assert ContactMessage.objects.count() == 4


def test_the_contact_form_is_rate_limited_per_association(villerouge, settings):
    settings.CONTACT_LIMIT_PER_ASSOCIATION_DAY = 1
    client = Client()
    stamp = _form(client)
    assert _post(client, stamp).status_code == 302
    refused = _post(client, stamp, address="203.0.113.9", email="eve@example.org")
    assert refused.status_code == 429
    assert "beaucoup de messages aujourd’hui" in refused.content.decode()


def test_bad_contact_input_is_refused_in_french(villerouge):
    client = Client()
    stamp = _form(client)
    links = "Voir http://a.example http://b.example http://c.example"
    response = _post(client, stamp, message=links, email="pas-une-adresse")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Pas plus de 2 liens par message" in html
    assert "Saisissez une adresse e-mail valide" in html
    assert not ContactMessage.objects.exists()


# --- Delivered to the admins through the notifications outbox -----------------------------


def test_a_contact_message_reaches_each_admin_once(villerouge):
    from notifications.models import Notification

    association, members, _clio, _peugeot = villerouge
    second_admin = MembershipFactory(association=association, role=Membership.Role.ADMIN)
    client = Client()
    _post(client, _form(client))
    notes = Notification.objects.filter(kind="contact_message")
    assert sorted(notes.values_list("recipient_id", flat=True)) == sorted(
        [members["Alice"].user_id, second_admin.user_id]
    )
    note = notes.get(recipient=members["Alice"].user)
    assert note.subject == "Nora Vidal écrit à Autopartage de Villerouge"
    assert "nora@example.org" in note.body and "peut-on emprunter" in note.body
    assert note.by_email and note.in_app  # an essential kind: whatever the preferences
    assert not Notification.objects.filter(kind="contact_message", recipient=members["Bruno"].user)


def test_a_join_request_tells_the_admins(villerouge):
    from notifications.models import Notification

    _association, members, _clio, _peugeot = villerouge
    visitor = UserFactory(first_name="Nora", last_name="Vidal")
    client = Client()
    client.force_login(visitor)
    client.post("/join/villerouge/", {"message": "J'habite rue des Écoles."})
    note = Notification.objects.get(kind="join_requested")
    assert note.recipient == members["Alice"].user
    assert note.url == "/villerouge/members/?status=pending"
    assert "Nora Vidal" in note.subject and "J'habite rue des Écoles." in note.body


def test_the_public_page_and_the_directory_cost_the_same_queries_whatever_the_fleet(villerouge):
    association, _members, _clio, _peugeot = villerouge

    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert _get(Client(), path).status_code == 200
        return len(queries)

    before = (count("/villerouge/about/"), count("/associations/"))
    for number in range(6):
        car = VehicleFactory(association=association, photo=png_upload(), photo_public=True)
        InsurancePolicyFactory(vehicle=car)
        TariffFactory(vehicle=car)
        AssociationFactory(public_page=True, listed_in_directory=True, commune=f"Riom {number}")
    assert (count("/villerouge/about/"), count("/associations/")) == before


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_public_pages_use_one_apostrophe_and_no_bracketed_plural(villerouge):
    """French typography: the typographic apostrophe (’) throughout, as the catalogues write
    it, and "(s)" nowhere, on what a visitor and a founder read."""
    founder = Client()
    founder.force_login(UserFactory())
    pages = [
        _get(Client(), "/villerouge/about/"),
        _get(Client(), "/associations/"),
        _get(founder, "/associations/new/"),
    ]
    for response in pages:
        assert response.status_code == 200
        text = _visible_text(response.content.decode())
        assert "’" in text
        assert not re.findall(r"[^\W\d_]'[^\W\d_]", text), response.request["PATH_INFO"]
        assert "(s)" not in text
