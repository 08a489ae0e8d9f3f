"""The one DomainError family: a model's validation becomes a refusal with its fields, and
the API answers a refusal naming inputs as DRF's field errors too."""

from django import forms
from django.core.exceptions import ValidationError

from core.api import exception_handler
from core.errors import ConflictError, DomainError
from core.forms import add_domain_error


def test_a_model_validation_becomes_a_refusal_on_its_first_field_listing_them_all():
    error = ValidationError(
        {
            "seats": [ValidationError("At most %(n)s.", code="max_value", params={"n": 9})],
            "key_arrangement": [ValidationError("Say where the key is.", code="required")],
        }
    )
    refusal = DomainError.from_validation(error)
    assert (refusal.code, refusal.field, str(refusal.message)) == (
        "max_value",
        "seats",
        "At most 9.",
    )
    assert refusal.field_errors == {
        "seats": ["At most 9."],
        "key_arrangement": ["Say where the key is."],
    }


def test_a_validation_without_fields_is_a_refusal_of_the_whole_request():
    refusal = DomainError.from_validation(ValidationError("Wrong.", code="wrong"))
    assert (refusal.code, refusal.field, refusal.field_errors) == ("wrong", None, {})


class CarForm(forms.Form):
    seats = forms.IntegerField()
    key_arrangement = forms.CharField(required=False)


def test_every_field_of_a_refusal_is_shown_on_the_form():
    form = CarForm({"seats": "4", "key_arrangement": ""})
    assert form.is_valid()
    error = ValidationError({"seats": ["Too many."], "key_arrangement": ["Where?"]})
    add_domain_error(form, DomainError.from_validation(error))
    assert form.errors == {"seats": ["Too many."], "key_arrangement": ["Where?"]}


def test_the_api_answers_a_field_refusal_with_its_code_and_field():
    refusal = DomainError("Too young.", code="invalid_date", field="licence_issued_on")
    response = exception_handler(refusal, {})
    assert response is not None and response.status_code == 400
    assert response.data == {
        "code": "invalid_date",
        "detail": "Too young.",
        "field": "licence_issued_on",
    }


def test_the_api_answers_a_refusal_listing_its_inputs_as_field_errors_too():
    error = ValidationError({"plate": [ValidationError("Taken.", code="plate_taken")]})
    response = exception_handler(DomainError.from_validation(error), {})
    assert response is not None and response.status_code == 400
    assert response.data == {
        "plate": ["Taken."],
        "code": "plate_taken",
        "detail": "Taken.",
        "field": "plate",
        "errors": {"plate": ["Taken."]},
    }


def test_the_api_answers_a_refusal_without_field_as_before():
    response = exception_handler(ConflictError("Taken.", code="overlap", gap_km=3), {})
    assert response is not None and response.status_code == 409
    assert response.data == {"code": "overlap", "detail": "Taken.", "gap_km": 3}
