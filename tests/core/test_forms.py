"""The one way pages show a service's refusal (core.forms)."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from core.errors import ConflictError, DomainError
from core.forms import add_domain_error, attempt, domain_errors_on, run_service


class TripForm(forms.Form):
    odometer = forms.IntegerField()
    note = forms.CharField(required=False)


def _bound() -> TripForm:
    form = TripForm({"odometer": "1200", "note": ""})
    assert form.is_valid()
    return form


def test_an_error_that_names_a_field_of_the_form_goes_on_that_field():
    form = _bound()
    add_domain_error(form, DomainError("Too low.", code="odometer_decreasing", field="odometer"))
    assert form.errors == {"odometer": ["Too low."]}
    assert not form.is_valid()


def test_an_error_without_a_field_goes_on_the_whole_form():
    form = _bound()
    add_domain_error(form, ConflictError("Taken.", code="overlap"))
    assert form.non_field_errors() == ["Taken."]


def test_an_error_naming_a_field_the_form_lacks_is_shown_on_the_form_not_dropped():
    form = _bound()
    add_domain_error(form, DomainError("Bad plate.", code="plate_taken", field="plate"))
    assert form.non_field_errors() == ["Bad plate."]
    assert "plate" not in form.errors


def test_an_error_without_a_field_goes_on_the_default_field_when_given():
    form = _bound()
    add_domain_error(form, DomainError("Bad syntax.", code="syntax"), default_field="note")
    assert form.errors == {"note": ["Bad syntax."]}
    named = _bound()  # a field named by the error wins over the default
    add_domain_error(
        named, DomainError("Too low.", code="low", field="odometer"), default_field="note"
    )
    assert named.errors == {"odometer": ["Too low."]}


def test_the_block_stops_at_the_refusal_and_leaves_it_on_the_form():
    form = _bound()
    reached = []
    with domain_errors_on(form):
        raise DomainError("No.", code="reason_required", field="note")
        reached.append(True)  # pragma: no cover - never reached
    assert not reached
    assert form.errors == {"note": ["No."]}


def test_a_block_without_refusal_leaves_the_form_valid():
    form = _bound()
    with domain_errors_on(form):
        pass
    assert form.is_valid()


def test_other_exceptions_are_not_swallowed():
    form = _bound()
    try:
        with domain_errors_on(form):
            raise ValueError("a bug")
    except ValueError:
        pass
    else:  # pragma: no cover
        raise AssertionError("a bug must surface")
    assert form.is_valid()


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_button_refusal_becomes_an_error_message():
    request = _request()

    def refuse() -> None:
        raise ConflictError("Already cancelled.", code="invalid_status")

    assert attempt(request, refuse, "Done.") is False
    assert [(m.level_tag, str(m)) for m in get_messages(request)] == [
        ("error", "Already cancelled.")
    ]


def test_a_button_success_becomes_a_success_message():
    request = _request()
    assert attempt(request, lambda: None, "Done.") is True
    assert [(m.level_tag, str(m)) for m in get_messages(request)] == [("success", "Done.")]


def test_a_form_service_refusal_goes_on_the_form_and_says_nothing_else():
    request, form = _request(), _bound()

    def refuse() -> None:
        raise DomainError("No.", code="reason_required", field="note")

    assert run_service(request, form, refuse, "Done.") is False
    assert form.errors == {"note": ["No."]}
    assert list(get_messages(request)) == []


def test_without_a_form_the_refusal_is_a_message_and_success_may_be_written_after():
    request, done = _request(), []
    assert run_service(request, None, lambda: done.append(3), lambda: f"{len(done)} closed.")
    refused = run_service(request, None, lambda: attempt_refusal(), "never said")
    assert refused is False
    assert [(m.level_tag, str(m)) for m in get_messages(request)] == [
        ("success", "1 closed."),
        ("error", "Closed already."),
    ]


def attempt_refusal() -> None:
    raise ConflictError("Closed already.", code="already_closed")
