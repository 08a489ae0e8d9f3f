"""Every number the project stores or reads has bounds: a number without a maximum is how
`min_notice_hours = 2,147,483,647` turned a booking into a server error.

The walk covers every model of the project's apps (apps.get_models()), every form class
and every input serializer of the project's modules. A model field needs a declared
MinValueValidator and MaxValueValidator; a form field its min_value and max_value (a model
form's field may take them from its model field, which the form validates); an input
serializer field its min_value and max_value. Primary keys, relations and output
serializers (named *Output, or deriving from one) are not input.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from rest_framework import serializers

ROOT = Path(settings.BASE_DIR).resolve()
NUMERIC_MODEL_FIELDS = (models.IntegerField, models.DecimalField, models.FloatField)
NUMERIC_FORM_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField)
NUMERIC_SERIALIZER_FIELDS = (
    serializers.IntegerField,
    serializers.DecimalField,
    serializers.FloatField,
)


def project_apps() -> list[Any]:
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(ROOT)
        and ".venv" not in Path(config.path).parts
    ]


def project_modules() -> Iterator[Any]:
    for config in project_apps():
        yield config.module
        for info in pkgutil.walk_packages(config.module.__path__, f"{config.name}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            yield importlib.import_module(info.name)


def project_classes(base: type) -> list[type]:
    names = {config.name for config in project_apps()}
    found: dict[str, type] = {}
    for module in project_modules():
        for obj in vars(module).values():
            if (
                inspect.isclass(obj)
                and issubclass(obj, base)
                and obj.__module__.split(".")[0] in names
            ):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[name] for name in sorted(found)]


def has_bounds(validators: list[Any]) -> bool:
    return any(isinstance(v, MinValueValidator) for v in validators) and any(
        isinstance(v, MaxValueValidator) for v in validators
    )


def numeric_model_fields() -> list[models.Field[Any, Any]]:
    return [
        field
        for config in project_apps()
        for model in config.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, NUMERIC_MODEL_FIELDS)
        and not field.primary_key
        and not isinstance(field, models.AutoField)
        and not field.is_relation
    ]


def test_every_numeric_model_field_has_a_minimum_and_a_maximum(capsys):
    fields = numeric_model_fields()
    unbounded = [
        f"{field.model._meta.label}.{field.name}"
        for field in fields
        if not has_bounds(field._validators)
    ]
    with capsys.disabled():
        print(f"\nbounds: {len(fields)} numeric model fields")
    assert len(fields) > 30, "the walk found too few fields: is it looking in the right place?"
    assert not unbounded, f"numeric model fields without bounds: {unbounded}"


def _model_validators(form_class: type[forms.BaseForm], name: str) -> list[Any]:
    meta = getattr(form_class, "_meta", None)
    model = getattr(meta, "model", None)
    if model is None:
        return []
    try:
        return list(model._meta.get_field(name)._validators)
    except Exception:  # a form field that is not a model field
        return []


def test_every_numeric_form_field_has_a_minimum_and_a_maximum(capsys):
    checked, unbounded = 0, []
    for form_class in project_classes(forms.BaseForm):
        for name, field in form_class.base_fields.items():  # type: ignore[attr-defined]
            if not isinstance(field, NUMERIC_FORM_FIELDS):
                continue
            checked += 1
            if not has_bounds([*field.validators, *_model_validators(form_class, name)]):
                unbounded.append(f"{form_class.__module__}.{form_class.__qualname__}.{name}")
    with capsys.disabled():
        print(f"bounds: {checked} numeric form fields")
    assert checked > 20
    assert not unbounded, f"numeric form fields without bounds: {unbounded}"


def is_output(serializer_class: type) -> bool:
    return any(klass.__name__.endswith("Output") for klass in serializer_class.__mro__)


def test_every_numeric_input_serializer_field_has_a_minimum_and_a_maximum(capsys):
    checked, unbounded = 0, []
    for serializer_class in project_classes(serializers.Serializer):
        if is_output(serializer_class):
            continue
        for name, field in serializer_class().get_fields().items():
            if field.read_only or not isinstance(field, NUMERIC_SERIALIZER_FIELDS):
                continue
            checked += 1
            if field.min_value is None or field.max_value is None:
                unbounded.append(
                    f"{serializer_class.__module__}.{serializer_class.__qualname__}.{name}"
                )
    with capsys.disabled():
        print(f"bounds: {checked} numeric input serializer fields")
    assert checked > 10
    assert not unbounded, f"numeric input serializer fields without bounds: {unbounded}"
