"""French typography: elision of "de", "1er", no-break spaces, on texts, pages and e-mails."""

import datetime as dt

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from core.middleware import FrenchTypographyMiddleware
from core.typography import TYPESET_END, TYPESET_START, de, french, french_html, long_date, typeset

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


def test_french_html_on_a_large_page_changes_the_few_texts_that_need_it():
    rows = "".join(f"<tr><td>{hour:02}:00</td><td>Bruno L.</td></tr>\n" for hour in range(24))
    html = f"<table>{rows * 40}</table><p>Le 1 mars de <em>Anne</em> : 3 €</p>" + rows
    assert french_html(html) == (
        f"<table>{rows * 40}</table><p>Le 1er mars d'<em>Anne</em>{NBSP}: 3{NBSP}€</p>" + rows
    )
    assert french_html(rows) is rows  # nothing to change: the page itself, not a copy


def test_a_typeset_fragment_is_passed_over_and_the_rest_still_typeset():
    fragment = typeset(mark_safe("<p>Membre de Autopartage : 1 mars</p>"), "fr")
    assert isinstance(fragment, SafeString)
    assert fragment == (f"{TYPESET_START}<p>Membre d'Autopartage{NBSP}: 1er mars</p>{TYPESET_END}")
    # A page around it: its own text changes, the fragment's typed text is not read again
    # (its "de Anne :" stands for text a rule would change: it must stay as it is).
    marked = f"{TYPESET_START}<p>de Anne : x</p>{TYPESET_END}"
    page = f"<h1>Total : 3 €</h1>{marked}<p>Prix de Usage</p>"
    assert french_html(page) == (f"<h1>Total{NBSP}: 3{NBSP}€</h1>{marked}<p>Prix d'Usage</p>")
    assert typeset("<p>de Anne : x</p>", "en") == "<p>de Anne : x</p>"
    assert not isinstance(typeset("<p>a : b</p>", "fr"), SafeString)  # plain text stays plain


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
