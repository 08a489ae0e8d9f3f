"""Hostile bodies against the API parser: no input may draw a server error. Over-deep JSON
answers 400 with a JSON error, on every endpoint that reads a body, the unauthenticated
token endpoint included; an oversized body answers a clean 4xx."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from tests.factories.members import MembershipFactory

pytestmark = pytest.mark.django_db

DEEP = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"a":' * 5_000 + b"1" + b"}" * 5_000


def deep_json_answer(client, path, body=DEEP, method="post"):
    response = getattr(client, method)(path, body, content_type="application/json")
    assert response.status_code == 400, (path, response.status_code, response.content[:200])
    assert response.json()["code"] == "json_too_deep"
    return response


def test_deeply_nested_json_to_the_token_endpoint_is_a_400_in_french():
    response = deep_json_answer(APIClient(), "/api/v1/auth/token/")
    french = APIClient().post(
        "/api/v1/auth/token/", DEEP, content_type="application/json", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert "imbriqué" in french.json()["detail"]
    assert "detail" in response.json()


def test_moderately_nested_objects_are_refused_before_they_reach_a_serializer():
    deep_json_answer(APIClient(), "/api/v1/auth/token/", body=DEEP_OBJECT)


def api_paths():
    """Every API URL pattern, with placeholder values for its parameters."""

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
                yield route

    for route in walk(get_resolver().url_patterns, ""):
        path = route.replace("<slug:slug>", "testville")
        for converter in ("<int:pk>", "<int:id>", "<int:receipt_id>", "<int:vehicle_id>"):
            path = path.replace(converter, "1")
        yield "/" + path


def test_deeply_nested_json_is_a_400_on_every_api_endpoint_that_reads_a_body(association):
    admin = MembershipFactory(association=association, role="admin")
    client = APIClient()
    client.force_authenticate(admin.user)
    answered = []
    for path in api_paths():
        for method in ("post", "put", "patch"):
            response = getattr(client, method)(path, DEEP, content_type="application/json")
            assert response.status_code < 500, (method, path, response.status_code)
            if response.status_code == 400 and response.json().get("code") == "json_too_deep":
                answered.append(path)
    # Endpoints that look an object up first answer 404 for the placeholder ids before reading.
    assert len(set(answered)) >= 4, answered


def test_an_oversized_body_is_a_clean_413(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = b'{"email": "a@example.org", "password": "' + b"x" * 4096 + b'"}'
    response = APIClient().post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"
