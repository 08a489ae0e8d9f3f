"""French typography: elision of "de", "1er", no-break spaces, on texts, pages and e-mails."""

import datetime as dt

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from core.middleware import FrenchTypographyMiddleware
from core.typography import de, french, french_html, long_date

NBSP, NARROW = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Autopartage de Villerouge", "d'Autopartage de Villerouge"),
        ("Villerouge", "de Villerouge"),
        ("Éric", "d'Éric"),
        ("Yves", "d'Yves"),
        ("Yannick", "de Yannick"),
        ("Hugo", "de Hugo"),  # an H may be aspirated: never elided
        ("onze heures", "de onze heures"),
    ],
)
def test_de_elides_before_a_vowel(name, expected):
    assert de(name) == expected


def test_french_text_gets_elision_first_of_month_and_no_break_spaces():
    text = "Membre de Autopartage du 1 novembre au 11 novembre : 12 € ; oui ? « non » !"
    assert french(text) == (
        f"Membre d'Autopartage du 1er novembre au 11 novembre{NBSP}: 12{NBSP}€{NARROW}; "
        f"oui{NARROW}? «{NBSP}non{NBSP}»{NARROW}!"
    )


def test_french_leaves_times_urls_and_other_numbers_alone():
    text = "à 14:05, https://example.org/?a=1, 21 novembre, 1 octet, 1,1 mars, de 10 h"
    assert french(text) == text


def test_french_html_changes_text_only_never_tags_scripts_or_typed_text():
    html = (
        '<p title="de Anne : x">Membre de <strong>Autopartage</strong> : 1 mars</p>'
        "<textarea>de Anne : ce que la personne a tapé</textarea>"
        "<script>let a = b ? c : d;</script><!-- de Anne : -->"
    )
    assert french_html(html) == (
        f'<p title="de Anne : x">Membre d\'<strong>Autopartage</strong>{NBSP}: 1er mars</p>'
        "<textarea>de Anne : ce que la personne a tapé</textarea>"
        "<script>let a = b ? c : d;</script><!-- de Anne : -->"
    )


def test_long_date_writes_1er_in_french_and_the_locale_date_otherwise():
    first = dt.date(2026, 11, 1)
    assert long_date(first, language="fr") == "1er novembre 2026"
    assert long_date(dt.date(2026, 11, 2), language="fr") == "2 novembre 2026"
    assert long_date(first, language="en") == "Nov. 1, 2026"


@pytest.mark.parametrize(("language", "changed"), [("fr", True), ("en", False)])
def test_pages_in_french_get_the_typography(language, changed):
    body = "<p>Membre de Autopartage : bienvenue</p>"
    middleware = FrenchTypographyMiddleware(lambda request: HttpResponse(body))
    with translation.override(language):
        response = middleware(RequestFactory().get("/"))
    expected = f"<p>Membre d'Autopartage{NBSP}: bienvenue</p>" if changed else body
    assert response.content.decode() == expected


def test_a_json_answer_is_left_alone():
    body = '{"detail": "de Autopartage :"}'
    middleware = FrenchTypographyMiddleware(
        lambda request: HttpResponse(body, content_type="application/json")
    )
    with translation.override("fr"):
        assert middleware(RequestFactory().get("/")).content.decode() == body
