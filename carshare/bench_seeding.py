"""Large, realistic data for benchmarks (`seed_bench`): the project runs the apps' seeders.

The apps' `<app>/bench_seed.py` modules build on `core.bench_seeding` (the context, the batched
inserts, the progress bar) and never import this package; only the roof knows them all and
their order.
"""

from __future__ import annotations

import importlib
from typing import TextIO

from core.bench_seeding import DEFAULT_BATCH_SIZE, BenchContext, BenchModule, BenchScale

# Same order as seed_demo: an app only reads what the apps before it created.
APPS_IN_ORDER = ["members", "vehicles", "contracts", "ledger", "bookings"]


def bench_modules() -> list[BenchModule]:
    """The apps' `bench_seed` modules, in dependency order (apps without one are skipped)."""
    modules: list[BenchModule] = []
    for app in APPS_IN_ORDER:
        try:
            modules.append(importlib.import_module(f"{app}.bench_seed"))
        except ModuleNotFoundError as error:
            if error.name != f"{app}.bench_seed":
                raise
    return modules


def seed_all(
    scale: BenchScale, *, out: TextIO, batch_size: int = DEFAULT_BATCH_SIZE
) -> BenchContext:
    """Run every app's bench seeding at `scale`; returns the context (counts, accounts)."""
    ctx = BenchContext(scale=scale, out=out, batch_size=batch_size)
    for module in bench_modules():
        module.seed(ctx)
    return ctx
