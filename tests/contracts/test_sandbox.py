"""The template sandbox: plain data in, escaped text out, nothing else reachable."""

import datetime as dt
from decimal import Decimal

import pytest
from markupsafe import Markup

from contracts.sandbox import TemplateRefused, check_source, ensure_plain, render_source
from members.models import Association

CONTEXT = {
    "vehicle": {"name": "Clio", "plate": "AB-123-CD", "items": ["a", "b"]},
    "driver": {"full_name": '<img src="file:///etc/passwd">'},
    "day": dt.date(2025, 3, 1),
    "price": Decimal("0.275"),
}


def refused(source, context=CONTEXT):
    with pytest.raises(TemplateRefused) as caught:
        render_source(source, context)
    return caught.value.problem


def test_values_are_printed_and_escaped():
    html = render_source("{{ vehicle.plate }} {{ driver.full_name }}", CONTEXT)
    assert html == "AB-123-CD &lt;img src=&#34;file:///etc/passwd&#34;&gt;"


def test_dict_keys_win_over_dict_methods():
    assert render_source("{{ vehicle.items|join(',') }}", CONTEXT) == "a,b"


def test_french_filters():
    source = "{{ day|date }} {{ day|date('short') }} {{ price|euros }} {{ 1234.5|string }}"
    assert render_source(source, CONTEXT).startswith("1er mars 2025 01/03/2025 0,275\xa0€")


@pytest.mark.parametrize(
    "source",
    [
        "{{ settings }}",
        "{{ settings.SECRET_KEY }}",
        "{{ vehicle.__class__ }}",
        "{{ ''.__class__.__mro__ }}",
        "{{ vehicle.name.__class__.__base__.__subclasses__() }}",
        "{{ range.__globals__ }}",
        "{{ day.replace(year=1) }}",
        "{{ vehicle.update({'plate': 'x'}) }}",
        "{{ vehicle.save() }}",
        "{{ lipsum() }}",
        "{{ cycler }}",
        "{{ config }}",
        "{{ request }}",
        "{% for x in range(100000) %}{% endfor %}",
        "{{ 'x' * 10000000 }}",
        "{{ 2 ** 1000000 }}",
    ],
)
def test_what_a_template_cannot_reach(source):
    problem = refused(source)
    assert problem.line == 1
    assert problem.reason


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("{% include 'base.html' %}", "include"),
        ("{% extends 'base.html' %}", "extends"),
        ("{% import 'x.html' as x %}", "import"),
        ("{% from 'x.html' import y %}", "from"),
        ("{% debug %}", "debug"),
        ("{% load static %}", "load"),
        ("{% autoescape false %}{{ driver.full_name }}{% endautoescape %}", "autoescape"),
        ("{{ driver.full_name|safe }}", "safe"),
        ("{{ driver|tojson }}", "tojson"),
        ("{{ driver.full_name|format() }}", "format"),
    ],
)
def test_tags_and_filters_that_are_refused(source, reason):
    with pytest.raises(TemplateRefused) as caught:
        check_source(source)
    assert reason in caught.value.problem.reason
    assert caught.value.problem.line == 1


def test_a_broken_template_is_refused_with_its_line():
    problem = refused("<p>ok</p>\n<p>{{ vehicle.plate }}</p>\n<p>{% if %}</p>\n")
    assert problem.line == 3
    problem = refused("line 1\nline 2\n{{ vehicle.colour }}\n")
    assert problem.line == 3
    assert "colour" in problem.reason


def test_html_in_a_template_is_kept_and_html_in_data_is_escaped():
    context = {"note": "<script>alert(1)</script>\nligne 2"}
    html = render_source("<b>{{ note|nl2br }}</b>", context)
    assert html == "<b>&lt;script&gt;alert(1)&lt;/script&gt;<br>ligne 2</b>"


def test_markup_in_the_context_is_escaped_like_any_text():
    html = render_source("{{ x }}", {"x": Markup("<b>bold</b>")})
    assert html == "&lt;b&gt;bold&lt;/b&gt;"


def test_only_plain_data_enters_the_context():
    with pytest.raises(TypeError, match="Association"):
        ensure_plain({"association": Association(name="x")})
    with pytest.raises(TypeError, match="float"):
        ensure_plain({"price": 0.3})
    with pytest.raises(TypeError, match="aware"):
        ensure_plain({"at": dt.datetime(2025, 1, 1, 12, 0)})
    with pytest.raises(TypeError, match="keys"):
        ensure_plain({1: "x"})
    with pytest.raises(TypeError):
        ensure_plain({"f": print})


def test_plain_data_is_copied_so_the_template_cannot_change_the_callers():
    data = {"rows": [{"a": 1}], "when": dt.datetime(2025, 1, 1, tzinfo=dt.UTC), "n": True}
    copy = ensure_plain(data)
    assert copy == data
    assert copy["rows"] is not data["rows"]
