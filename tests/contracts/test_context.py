"""The plain-data contexts: the builders give exactly the shape of the documented samples."""

import pytest

from contracts.context import (
    agreement_data,
    lender_context,
    logbook_context,
    membership_form_context,
    person_context,
    vehicle_context,
)
from contracts.kinds import KINDS
from contracts.rendering import base_context
from contracts.samples import sample_person, sample_vehicle

pytestmark = pytest.mark.django_db


def shape(value):
    """Keys of dicts, recursively; lists by their first item; other values by nothing."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return None


def same_shape(real, sample):
    return _loosely_equal(shape(real), shape(sample))


def _loosely_equal(a, b):
    """Equal shapes; an empty list matches a list of anything."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_loosely_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return not a or not b or _loosely_equal(a[0], b[0])
    return a == b


def test_the_agreement_context_has_the_sample_shape(car, driver):
    real = agreement_data(vehicle=car, driver=driver).context
    assert same_shape(real, KINDS["agreement"].sample())


def test_the_membership_form_and_logbook_contexts_have_the_sample_shape(car, owner):
    assert same_shape(membership_form_context(owner), KINDS["membership_form"].sample())
    assert same_shape(membership_form_context(None), KINDS["membership_form"].sample())
    assert same_shape(logbook_context(car), KINDS["logbook"].sample())


def test_the_helpers_for_other_apps_have_the_sample_shape(car, owner, association):
    assert same_shape(person_context(owner), sample_person())
    assert same_shape(vehicle_context(car), sample_vehicle())
    assert same_shape(lender_context(car, association), KINDS["logbook"].sample()["lender"])
    assert set(base_context(association)) == {"association", "today"}


def test_accessories_are_read_line_by_line(car):
    car.accessories = "- Gilet jaune\n\n• Triangle  \n"
    assert vehicle_context(car)["accessories"] == ["Gilet jaune", "Triangle"]
