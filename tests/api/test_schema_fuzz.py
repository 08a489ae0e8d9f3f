"""schemathesis against /api/schema/ as a member and as an admin: no input may crash the API
(5xx) or draw a response that breaks the schema. Every operation of the schema is fuzzed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import schemathesis

from tests.api.fuzzing import (
    Caller,
    fuzz,
    hostile_bodies,
    operations_of,
    send_hostile_bodies,
)

ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "api-fuzz.json"
MIN_CASES = 500

# Failures the fuzzer found in other apps' endpoints, reported to their owners with the fix.
# Any other failure fails the test, and so does an entry here that no longer happens: remove
# it with the fix. (operation, failure) -> where and why.
KNOWN_FAILURES: dict[tuple[str, str], str] = {}


@pytest.mark.django_db
def test_no_generated_request_crashes_the_api_or_breaks_its_schema(api_schema, callers):
    assert [c.role for c in callers] == ["member", "admin"]
    report = fuzz(api_schema, callers)
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(json.dumps(report.summary(), indent=2))
    unexpected = {
        key: text for key, text in report.failures.items() if key[1:] not in KNOWN_FAILURES
    }
    assert not unexpected, "\n\n".join(
        f"=== {role} {operation}: {titles}\n{text}"
        for (role, operation, titles), text in unexpected.items()
    )
    fixed = set(KNOWN_FAILURES) - {key[1:] for key in report.failures}
    assert not fixed, f"fixed, remove from KNOWN_FAILURES: {sorted(fixed)}"
    assert len(report.distinct) >= MIN_CASES, report.summary()
    for caller in callers:
        for operation in operations_of(api_schema):
            assert report.per_operation[f"{caller.role} {operation.label}"] > 0


@pytest.mark.django_db
def test_the_token_endpoint_is_fuzzed_past_its_rate_limit(api_schema, callers):
    report = fuzz(api_schema.include(path="/api/v1/auth/token/"), callers[:1], max_examples=30)
    statuses = {key.rsplit(" ", 1)[1] for key in report.statuses}
    assert "400" in statuses
    assert "429" not in statuses


# --- Control cases: the harness must see a crash and a response that breaks the schema.

BROKEN_SCHEMA = {
    "openapi": "3.0.3",
    "info": {"title": "broken", "version": "1"},
    "paths": {
        "/things/{slug}/": {
            "get": {
                "parameters": [
                    {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"count": {"type": "integer"}},
                                    "required": ["count"],
                                }
                            }
                        },
                    }
                },
            }
        }
    },
}


def broken_app(environ, start_response):
    """Crashes on the caller's own association, answers a string count on another one."""
    path = environ["PATH_INFO"]
    if path == "/things/own-association/":
        start_response("500 Internal Server Error", [("Content-Type", "text/html")])
        return [b"<h1>Server Error (500)</h1>"]
    start_response("200 OK", [("Content-Type", "application/json")])
    count = '"many"' if path == "/things/other-association/" else "1"
    return [f'{{"count": {count}}}'.encode()]


def test_the_fuzzer_reports_server_errors_and_schema_violations_on_real_path_values():
    schema = schemathesis.openapi.from_dict(BROKEN_SCHEMA)
    schema.app = broken_app
    caller = Caller("member", "t0ken", {"slug": "own-association"}, "other-association")
    report = fuzz(schema, [caller], max_examples=40)
    titles = {titles for (_role, _operation, titles) in report.failures}
    assert any("Server error" in t for t in titles), report.failures.keys()
    assert any("Response violates schema" in t for t in titles), report.failures.keys()
    text = "\n".join(report.failures.values())
    assert "curl -X GET" in text and "/things/own-association/" in text


@pytest.mark.django_db
def test_nested_and_oversized_bodies_crash_no_operation(api_schema, callers, settings):
    """What the schema's generator never sends: JSON nested past Python's recursion limit or
    past the API's depth, and a body over the size limit (shrunk here to keep the test fast)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024  # the nested array fits
    report = send_hostile_bodies(api_schema, callers, hostile_bodies(limit))
    assert not report.failures, report.failures
    assert report.cases >= 3 * 2 * 3, report.summary()  # 3 bodies x 2 callers x operations
    statuses = " ".join(report.statuses)
    assert "auth/token/ nested array 400" in statuses
    assert "auth/token/ oversized 413" in statuses
