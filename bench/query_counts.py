"""Database queries per scenario request, measured in-process on the bench database (its own
process: Django must not share one with locust). Prints {scenario: queries} as JSON.

    DATABASE_URL=... python bench/query_counts.py sessions.json healthz home api-me

Each request is sent twice with Django's test client and the second one is counted (the
first warms per-process caches such as content types), as the account the load test uses.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carshare.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from scenarios import BY_NAME, Scenario, headers_for  # noqa: E402


def count_queries(scenario: Scenario, account: dict) -> int:
    headers = {k: v for k, v in headers_for(scenario, account).items() if k != "Cookie"}
    client = Client(HTTP_HOST="127.0.0.1", headers=headers)
    if scenario.auth == "session":
        client.cookies["sessionid"] = account["sessionid"]
        client.cookies["csrftoken"] = account["csrftoken"]
    path = scenario.url_path(account)
    for attempt in range(2):
        body = scenario.body(account, attempt) if scenario.body else None
        if scenario.form:
            data, content_type = urlencode(body or {}), "application/x-www-form-urlencoded"
        else:
            data = json.dumps(body) if body is not None else ""
            content_type = "application/json"
        with CaptureQueriesContext(connection) as queries:
            response = client.generic(scenario.method, path, data, content_type=content_type)
        if response.status_code != scenario.expect and attempt == 1:
            raise SystemExit(f"{scenario.name}: HTTP {response.status_code} on {path}")
    return len(queries)


def main() -> None:
    sessions = json.loads(Path(sys.argv[1]).read_text())
    counts = {}
    for name in sys.argv[2:]:
        scenario = BY_NAME[name]
        account = next(a for a in sessions if scenario.accepts(a))
        counts[name] = count_queries(scenario, account)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
