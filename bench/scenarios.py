"""The named benchmark scenarios: one request each, sent in a closed loop by N clients.

Adding one is a few lines in SCENARIOS. `path` is formatted with the bench account (keys from
seed_bench: email, role, slug, association_id, membership_id, vehicle_id, and whatever later
apps add in their bench_seed.py), so a scenario reaches the account's own association and
objects. `body(account, n)` builds a JSON body, `n` being unique per request in a run (to
book distinct slots, for instance).

Imported by the locust process (bench/locustfile.py) and by bench/query_counts.py: it must
not import Django or locust.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Account = dict[str, Any]


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    method: str = "GET"
    auth: str | None = None  # None (anonymous), "session" (signed-in browser) or "token" (API)
    role: str | None = None  # only accounts with this role ("admin"); None: any account
    body: Callable[[Account, int], dict[str, Any]] | None = None
    expect: int = 200

    def url_path(self, account: Account) -> str:
        return self.path.format(**account)

    def accepts(self, account: Account) -> bool:
        if self.role is not None and account.get("role") != self.role:
            return False
        try:
            self.url_path(account)
        except KeyError:  # the account lacks an object the path needs
            return False
        return True


SCENARIOS = [
    # The reference: one database round trip, no session, no template. Always run first.
    Scenario("healthz", "/healthz"),
    Scenario("home", "/", auth="session"),
    Scenario("api-me", "/api/v1/me/", auth="token"),
    Scenario("association-home", "/{slug}/", auth="session"),
    Scenario("fleet", "/{slug}/vehicles/", auth="session"),
    Scenario("api-vehicles", "/api/v1/associations/{slug}/vehicles/", auth="token"),
    Scenario("members-admin", "/{slug}/members/", auth="session", role="admin"),
    # Next, as the apps land (issue 9): the planning page, availability, booking creation,
    # balances and the agreement PDF, e.g.
    # Scenario("planning", "/{slug}/planning/", auth="session"),
]

BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}
REFERENCE = "healthz"


def headers_for(scenario: Scenario, account: Account) -> dict[str, str]:
    """The authentication headers of a scenario for a logged-in bench account."""
    if scenario.auth == "session":
        cookie = f"sessionid={account['sessionid']}; csrftoken={account['csrftoken']}"
        return {"Cookie": cookie, "X-CSRFToken": account["csrftoken"]}
    if scenario.auth == "token":
        return {"Authorization": f"Token {account['token']}"}
    return {}
