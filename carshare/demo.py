"""Demo data, added by each app in dependency order. Idempotent: running it twice changes
nothing the second time. Every demo account's password is DEMO_PASSWORD."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from core.demo import DEMO_PASSWORD

__all__ = ["DEMO_PASSWORD", "seed_all"]

# Each app may provide `<app>.demo.seed(log)`; they run in the dependency order.
APPS_IN_ORDER = ["members", "vehicles", "contracts", "ledger", "bookings"]


def seed_all(log: Callable[[str], None]) -> None:
    for app in APPS_IN_ORDER:
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.demo":
                raise
            continue
        module.seed(log)
