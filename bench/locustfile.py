"""One scenario under load: every locust user sends the scenario's request again as soon as
the previous answer arrives (a closed loop, no think time), with its own bench account.

Run by bench/run.py in its own process (locust monkey-patches the standard library with
gevent, which must not happen next to Django):
    BENCH_SCENARIO=home BENCH_SESSIONS=sessions.json locust -f bench/locustfile.py ...
"""

from __future__ import annotations

import itertools
import json
import os

from locust import FastHttpUser, constant, task
from scenarios import BY_NAME, headers_for

SCENARIO = BY_NAME[os.environ["BENCH_SCENARIO"]]
with open(os.environ["BENCH_SESSIONS"]) as sessions_file:
    ACCOUNTS = [a for a in json.load(sessions_file) if SCENARIO.accepts(a)]
if not ACCOUNTS:
    raise SystemExit(f"no bench account can run the scenario {SCENARIO.name!r}")

_next_account = itertools.cycle(ACCOUNTS)
_request_number = itertools.count()


class ScenarioUser(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.account = next(_next_account)
        self.path = SCENARIO.url_path(self.account)
        self.headers = headers_for(SCENARIO, self.account)

    @task
    def send(self) -> None:
        body = SCENARIO.body(self.account, next(_request_number)) if SCENARIO.body else None
        encoded = {"data": body} if SCENARIO.form else {"json": body}
        with self.client.request(
            SCENARIO.method,
            self.path,
            name=SCENARIO.name,
            headers=self.headers,
            **encoded,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != SCENARIO.expect:
                response.failure(f"HTTP {response.status_code}, expected {SCENARIO.expect}")
