"""The API fuzzer: schemathesis cases for every operation of /api/schema/, sent in-process to
Django's WSGI handler with a caller's token, checked for server errors and schema conformance.

Generic on purpose: an endpoint added to the schema is fuzzed with no change here. Path
parameters are filled with real values 3 times in 4 (the rest stay random), so that cases get
past the 404 of an unknown object. The values come from the caller's bench account (`slug`,
`association_id`, `membership_id`, `vehicle_id` and whatever later apps add in their
`bench_seed`): a parameter named like a key takes its value, `{id}` or `{pk}` after
`/vehicles/` takes `vehicle_id` (after `/bookings/`, `booking_id`...), and PATH_PARAMETERS
maps any other name to a key.
"""

from __future__ import annotations

import contextlib
import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core import signals
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
)

# No 5xx; bodies, content types and headers as documented; invalid input refused with a 4xx.
# Not status_code_conformance: the schema documents success codes only (4xx are by design).
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    response_headers_conformance,
    negative_data_rejection,
]
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)

# Examples per (caller, operation, mode): the target total spread over the runs, clamped so
# that a small schema is fuzzed deeply and a large one stays within CI's time.
TARGET_CASES = 1500
MIN_EXAMPLES, MAX_EXAMPLES = 20, 150

# Path parameter -> bench account key, when the names differ. Keys are a parameter name
# ("pk") or "<path template> <name>" for one operation, e.g.
# "/api/v1/associations/{slug}/vehicles/{id}/ id": "vehicle_id".
PATH_PARAMETERS: dict[str, str] = {}


@dataclass(frozen=True)
class Caller:
    """Who sends the cases: a role, a real API token, and the bench account's facts."""

    role: str
    token: str
    account: dict[str, Any]
    other_slug: str  # another association's: its pages must answer 404, never 5xx

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Token {self.token}"}


@dataclass
class FuzzReport:
    cases: int = 0
    distinct: set[str] = field(default_factory=set)
    per_operation: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    # (role, operation, failure titles) -> the first full report (with a curl command).
    failures: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "distinct_cases": len(self.distinct),
            "per_operation": dict(sorted(self.per_operation.items())),
            "statuses": dict(sorted(self.statuses.items())),
            "failures": [" / ".join(key) for key in self.failures],
        }


class InProcessApp:
    """Django's WSGI handler for use inside a test transaction: like django.test.Client, it
    keeps the test's database connection open across the request (Django closes it at the
    end of every request otherwise) and consumes the response before closing it."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)


def examples_per_run(operations: int, callers: int) -> int:
    runs = max(1, operations * callers * len(MODES))
    return max(MIN_EXAMPLES, min(MAX_EXAMPLES, math.ceil(TARGET_CASES / runs)))


def operations_of(schema: Any) -> list[Any]:
    """Every operation of the schema; an operation schemathesis cannot read is an error."""
    return [result.ok() for result in schema.get_all_operations()]


def fuzz(schema: Any, callers: Iterable[Caller], *, max_examples: int | None = None) -> FuzzReport:
    """Fuzz every operation of `schema` as each caller, in both generation modes."""
    callers = list(callers)
    operations = operations_of(schema)
    per_run = max_examples or examples_per_run(len(operations), len(callers))
    report = FuzzReport()
    for caller in callers:
        for operation in operations:
            for mode in modes_for(operation):
                fuzz_operation(operation, caller, mode, per_run, report)
    return report


def modes_for(operation: Any) -> tuple[GenerationMode, ...]:
    """Both modes, except for an operation without any input: nothing to make invalid (and
    hypothesis would spend hundreds of draws finding that out)."""
    inputs = [operation.path_parameters, operation.query, operation.headers, operation.cookies]
    if any(len(parameters) for parameters in inputs) or len(operation.body):
        return MODES
    return (GenerationMode.POSITIVE,)


def known_path_values(operation: Any, caller: Caller) -> dict[str, list[Any]]:
    values: dict[str, list[Any]] = {}
    for parameter in operation.path_parameters:
        key = account_key(operation.path, parameter.name)
        if key == "slug":
            # Mostly the caller's own association; sometimes another one (must be 404).
            values[parameter.name] = [caller.account["slug"]] * 3 + [caller.other_slug]
        elif caller.account.get(key) is not None:
            values[parameter.name] = [caller.account[key]]
    return values


def account_key(path: str, name: str) -> str:
    """The bench account key for a path parameter: PATH_PARAMETERS, else `<thing>_id` for an
    `{id}` or `{pk}` after a `/<things>/` segment, else the parameter's own name."""
    explicit = PATH_PARAMETERS.get(f"{path} {name}") or PATH_PARAMETERS.get(name)
    if explicit:
        return explicit
    if name in {"id", "pk"}:
        before = path.split("{" + name + "}")[0].rstrip("/").rsplit("/", 1)[-1]
        return f"{before.removesuffix('s').replace('-', '_')}_id"
    return name


def fuzz_operation(
    operation: Any, caller: Caller, mode: GenerationMode, max_examples: int, report: FuzzReport
) -> None:
    # Real values only for valid cases: a negative case must stay invalid.
    known = known_path_values(operation, caller) if mode == GenerationMode.POSITIVE else {}

    @settings(
        max_examples=max_examples,
        derandomize=True,  # the same cases on every run, in CI too
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],  # failures are collected, not shrunk
    )
    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    def run(case: Any, data: st.DataObject) -> None:
        for name, values in known.items():
            if data.draw(st.integers(0, 3), label=f"random {name}?") < 3:
                case.path_parameters[name] = data.draw(st.sampled_from(values), label=name)
        send(case, caller, report)

    # Unsatisfiable: no input of this operation can be made invalid.
    with contextlib.suppress(Unsatisfiable):
        run()


def send(case: Any, caller: Caller, report: FuzzReport) -> None:
    # Rate limits (the token endpoint's 10/min) would answer 429 to nearly every case.
    cache.clear()
    label = case.operation.label
    report.cases += 1
    report.per_operation[f"{caller.role} {label}"] += 1
    report.distinct.add(f"{caller.role} {case!r}")
    response = case.call(headers=caller.headers)
    report.statuses[f"{label} {response.status_code}"] += 1
    try:
        case.validate_response(
            response,
            checks=CHECKS,
            headers=caller.headers,
            transport_kwargs={"headers": caller.headers},
        )
    except FailureGroup as group:
        titles = " + ".join(sorted({failure.title for failure in group.exceptions}))
        report.failures.setdefault((caller.role, label, titles), str(group))


# --- Hostile bodies: what a generator from the schema never sends. -----------------------

NESTED_ARRAY = b"[" * 50_000 + b"]" * 50_000  # beyond Python's recursion limit
NESTED_OBJECT = b'{"a":' * 40 + b"1" + b"}" * 40  # parses, but deeper than the API allows


def oversized_body(limit: int) -> bytes:
    """Valid JSON one byte over `limit`."""
    return b'{"x": "' + b"a" * (limit - 8) + b'"}'


def hostile_bodies(limit: int) -> dict[str, bytes]:
    return {
        "nested array": NESTED_ARRAY,
        "nested object": NESTED_OBJECT,
        "oversized": oversized_body(limit),
    }


def send_hostile_bodies(
    schema: Any, callers: Iterable[Caller], bodies: dict[str, bytes]
) -> FuzzReport:
    """Every body to every operation that takes one, as each caller (real path values)."""
    from django.test import Client

    report = FuzzReport()
    for caller in callers:
        client = Client(HTTP_AUTHORIZATION=caller.headers["Authorization"])
        for operation in operations_of(schema):
            if not len(operation.body):
                continue
            path = operation.path
            for name, values in known_path_values(operation, caller).items():
                path = path.replace("{" + name + "}", str(values[0]))
            for label, body in bodies.items():
                cache.clear()  # rate limits
                response = client.generic(
                    operation.method.upper(), path, body, content_type="application/json"
                )
                key = f"{caller.role} {operation.label} {label}"
                report.cases += 1
                report.statuses[f"{key} {response.status_code}"] += 1
                if response.status_code >= 500:
                    report.failures[(caller.role, operation.label, label)] = str(
                        response.content[:500]
                    )
    return report
