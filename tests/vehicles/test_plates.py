import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from vehicles.plates import normalise_plate, validate_plate


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("AB-123-CD", "AB-123-CD"),
        ("ab-123-cd", "AB-123-CD"),
        ("AB 123 CD", "AB-123-CD"),
        ("AB123CD", "AB-123-CD"),
        ("  ab 123-cd ", "AB-123-CD"),
        ("AB--123  CD", "AB-123-CD"),
        ("FG.481.KT", "FG-481-KT"),
        ("AA-001-AA", "AA-001-AA"),
        ("ZZ-999-ZZ", "ZZ-999-ZZ"),
        ("XY-123-WW", "XY-123-WW"),  # WW is only reserved on the left
    ],
)
def test_siv_plates_are_normalised_with_dashes_in_upper_case(raw, normal):
    assert normalise_plate(raw) == normal


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("1234 AB 63", "1234 AB 63"),
        ("1234-ab-63", "1234 AB 63"),
        ("1234AB63", "1234 AB 63"),
        ("12 ABC 75", "12 ABC 75"),
        ("7 A 01", "7 A 01"),
        ("0123 AB 63", "123 AB 63"),
        ("456 BX 2a", "456 BX 2A"),
        ("456BX2B", "456 BX 2B"),
        ("9876 ZZ 974", "9876 ZZ 974"),
    ],
)
def test_old_fni_plates_are_accepted_and_normalised_with_spaces(raw, normal):
    assert normalise_plate(raw) == normal


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "plate_required"),
        ("   ", "plate_required"),
        ("AB-12-CD", "plate_format"),
        ("AB-1234-CD", "plate_format"),
        ("A-123-CD", "plate_format"),
        ("AB-123-C", "plate_format"),
        ("AB_123_CD", "plate_format"),
        ("12-345-67", "plate_format"),
        ("AB-١٢٣-CD", "plate_format"),  # digits of another script
        ("AI-123-CD", "plate_unused_letter"),
        ("AB-123-OC", "plate_unused_letter"),
        ("UB-123-CD", "plate_unused_letter"),
        ("AB-000-CD", "plate_zero_number"),
        ("SS-123-AB", "plate_forbidden_pair"),
        ("AB-123-SS", "plate_forbidden_pair"),
        ("WW-123-AB", "plate_temporary"),
        ("0 AB 63", "plate_format"),
        ("12345 AB 63", "plate_format"),
        ("123 ABCD 63", "plate_format"),
        ("123 AB 00", "plate_department"),
        ("123 AB 96", "plate_department"),
        ("123 AB 977", "plate_department"),
        ("123 AB 2C", "plate_format"),
    ],
)
def test_bad_plates_are_refused_with_a_reason(raw, code):
    with pytest.raises(ValidationError) as caught:
        normalise_plate(raw)
    assert caught.value.code == code


def test_the_refusal_is_a_clear_french_sentence():
    with translation.override("fr"):
        with pytest.raises(ValidationError) as caught:
            normalise_plate("AB 12 CD")
        message = caught.value.messages[0]
    assert "AB-123-CD" in message
    assert "1234 AB 63" in message
    assert message.startswith("Saisissez")


def test_unused_letters_message_in_french_names_the_lookalikes():
    with translation.override("fr"):
        with pytest.raises(ValidationError) as caught:
            normalise_plate("AB-123-CO")
        assert "I, O et U" in caught.value.messages[0]


def test_model_validator_accepts_only_the_normal_form():
    validate_plate("AB-123-CD")
    validate_plate("1234 AB 63")
    with pytest.raises(ValidationError):
        validate_plate("ab123cd")
