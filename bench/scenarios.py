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

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Account = dict[str, Any]

# The first slot number of this process (bench/run.py gives each process its own block, so
# that no two requests of any run on the same data set ask for the same slot).
SLOT_BASE_ENV = "BENCH_SLOT_BASE"
SLOT_SPACING = dt.timedelta(hours=2)  # a 1-hour booking + the longest buffer (30 min) fits


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    method: str = "GET"
    auth: str | None = None  # None (anonymous), "session" (signed-in browser) or "token" (API)
    role: str | None = None  # only accounts with this role ("admin"); None: any account
    body: Callable[[Account, int], dict[str, Any]] | None = None
    expect: int = 200
    form: bool = False  # send the body form-encoded (an HTML form) instead of JSON
    needs: tuple[str, ...] = ()  # account keys the body uses (accounts without them skip)
    users: int | None = None  # concurrent clients for this one (default: run.py --users)

    def url_path(self, account: Account) -> str:
        return self.path.format(**account)

    def accepts(self, account: Account) -> bool:
        if self.role is not None and account.get("role") != self.role:
            return False
        if any(key not in account for key in self.needs):
            return False
        try:
            self.url_path(account)
        except KeyError:  # the account lacks an object the path needs
            return False
        return True


def free_slot(account: Account, n: int) -> dict[str, Any]:
    """A 1-hour booking that no other request takes: slot `base + n` of this process is on
    the account's bookable vehicle `slot % V`, at `slots_from + (slot // V) × 2 h` (UTC)."""
    slot = int(os.environ.get(SLOT_BASE_ENV, "0")) + n
    vehicles = account["bookable_vehicle_ids"]
    first = dt.datetime.fromisoformat(account["slots_from"].replace("Z", "+00:00"))
    start = first + (slot // len(vehicles)) * SLOT_SPACING
    return {
        "vehicle": vehicles[slot % len(vehicles)],
        "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=1)).isoformat(),
        "note": "bench",
    }


def agreement_pair(account: Account, n: int) -> dict[str, Any]:
    """The admin's form to (re)print the member account's agreement: renders it each time."""
    return {"vehicle": account["agreement_vehicle_id"], "driver": account["agreement_driver_id"]}


SCENARIOS = [
    # The reference: one database round trip, no session, no template. Always run first.
    Scenario("healthz", "/healthz"),
    Scenario("home", "/", auth="session"),
    Scenario("api-me", "/api/v1/me/", auth="token"),
    Scenario("association-home", "/{slug}/", auth="session"),
    Scenario("fleet", "/{slug}/vehicles/", auth="session"),
    Scenario("api-vehicles", "/api/v1/associations/{slug}/vehicles/", auth="token"),
    Scenario("members-admin", "/{slug}/members/", auth="session", role="admin"),
    # Issue 9's scenarios. The planning: this week, every vehicle of the association.
    Scenario("planning", "/{slug}/planning/", auth="session"),
    # Free vehicles over 4 hours two days ahead (seeded bookings run six weeks ahead).
    Scenario(
        "availability",
        "/api/v1/associations/{slug}/availability/"
        "?start={availability_start}&end={availability_end}",
        auth="token",
    ),
    # Book: every request a distinct free slot (the member accounts' eligible vehicles).
    Scenario(
        "booking-create",
        "/api/v1/associations/{slug}/bookings/",
        method="POST",
        auth="token",
        role="member",
        body=free_slot,
        expect=201,
        needs=("bookable_vehicle_ids", "slots_from"),
    ),
    # Every party's balance (admins see them all).
    Scenario(
        "balances", "/api/v1/associations/{slug}/ledger/balances/", auth="token", role="admin"
    ),
    # The member's bookings: upcoming, the past ones by pages, approvals waiting (issue 16).
    Scenario("my-bookings", "/{slug}/bookings/", auth="session"),
    # The member's own account page: balance and recent postings.
    Scenario("my-account", "/{slug}/ledger/me/", auth="session", role="member"),
    # A stored agreement PDF (as generated: served from its file, never rendered again).
    Scenario("agreement-pdf", "/{slug}/agreements/{agreement_id}/pdf/", auth="session"),
    # An agreement rendered: the admin prints it again (template + WeasyPrint each time;
    # the same data give back the same draft, so nothing piles up). 302 to the agreement.
    Scenario(
        "agreement-render",
        "/{slug}/agreements/new/",
        method="POST",
        auth="session",
        role="admin",
        body=agreement_pair,
        expect=302,
        form=True,
        users=1,  # the goal is a warm render's time, not what 2 cores do with 4 at once
        needs=("agreement_vehicle_id", "agreement_driver_id"),
    ),
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
