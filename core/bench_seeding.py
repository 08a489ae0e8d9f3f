"""What the apps' bench seeding modules share (`<app>/bench_seed.py`, run by `seed_bench`).

Each app may provide `<app>/bench_seed.py` with `seed(ctx: BenchContext) -> None`; the project
(`carshare/bench_seeding.py`) runs them in dependency order. Each one reads what the previous
ones created from `ctx.objects` (keyed "app_label.ModelName") and inserts its rows through
`ctx.bulk_create`, which batches them (one transaction per batch) and draws a progress bar on
stderr. All randomness comes from `ctx.rng`, so a scale and a seed always give the same data.
This module lives in core, the ground floor, so that the apps never import the project package.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO, TypeVar
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from core.timeutils import add_months, local_today

# Every bench account's password. Bench data is for load tests on throwaway databases.
BENCH_PASSWORD = "bench-carshare"  # noqa: S105 - documented, refused with DEBUG off
DEFAULT_BATCH_SIZE = 2000
PARIS = ZoneInfo("Europe/Paris")

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class BenchScale:
    """How much to create: associations, vehicles per association, months of history."""

    associations: int = 200
    vehicles: int = 10
    months: int = 24
    seed: int = 2024


class BenchModule(Protocol):
    def seed(self, ctx: BenchContext) -> None: ...


@dataclass
class BenchContext:
    """What every app's `seed(ctx)` receives: the scale, the shared random generator, the
    history window, the objects created so far and the bench accounts for bench/."""

    scale: BenchScale
    out: TextIO = field(default_factory=lambda: sys.stderr)
    batch_size: int = DEFAULT_BATCH_SIZE
    rng: random.Random = field(init=False)
    today: dt.date = field(init=False)
    start: dt.date = field(init=False)
    password_hash: str = field(init=False)
    # "app_label.ModelName" -> rows created with keep=True (with their primary keys).
    objects: dict[str, list[Any]] = field(default_factory=dict, init=False)
    # Rows inserted per "app_label.ModelName", kept or not.
    counts: Counter[str] = field(default_factory=Counter, init=False)
    # Accounts that bench/ logs in with: dicts with at least email, password, role, slug;
    # later apps add keys that scenarios use in their paths (e.g. vehicle_id).
    accounts: list[dict[str, Any]] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.scale.seed)  # noqa: S311 - data, not secrets
        self.today = local_today(PARIS)
        self.start = add_months(self.today, -self.scale.months)
        # One hash for every account: hashing thousands of passwords would take minutes.
        self.password_hash = make_password(BENCH_PASSWORD)

    def bulk_create(
        self, model: type[M], rows: Iterable[M], *, total: int | None = None, keep: bool = True
    ) -> list[M]:
        """Insert `rows` (any iterable, consumed lazily) in batches of `batch_size`, each in
        its own transaction. Kept rows (with their keys) are returned and added to objects."""
        label = model_label(model)
        kept: list[M] = []
        with Progress(label, total, self.out) as bar:
            for batch in batched(rows, self.batch_size):
                with transaction.atomic():
                    created = model._default_manager.bulk_create(batch)
                self.counts[label] += len(created)
                bar.advance(len(created))
                if keep:
                    kept.extend(created)
        if keep:
            self.objects.setdefault(label, []).extend(kept)
        return kept

    def of(self, model: type[M]) -> list[M]:
        """The kept rows of `model` created so far (empty if none)."""
        return self.objects.get(model_label(model), [])

    def by_association(self, model: type[M], key: str = "association_id") -> dict[int, list[M]]:
        """The kept rows of `model` grouped by their association id (or another key)."""
        grouped: dict[int, list[M]] = defaultdict(list)
        for row in self.of(model):
            grouped[getattr(row, key)].append(row)
        return grouped

    def random_datetime(self, day: dt.date, tz: ZoneInfo = PARIS) -> dt.datetime:
        """An aware datetime at a random quarter hour between 07:00 and 20:45 on `day`."""
        minutes = self.rng.randrange(7 * 4, 21 * 4) * 15
        return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60)).replace(tzinfo=tz)


def model_label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def batched(rows: Iterable[M], size: int) -> Iterator[list[M]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


class Progress:
    """A progress bar on a stream: redrawn in place on a terminal, a line every 10 %
    otherwise (log files, CI)."""

    WIDTH = 24

    def __init__(self, label: str, total: int | None, out: TextIO) -> None:
        self.label, self.total, self.out = label, total, out
        self.done = 0
        self.started = time.monotonic()
        self.last_drawn = self.started
        self.last_step = -1
        self.tty = out.isatty()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.draw(final=True)

    def advance(self, count: int) -> None:
        self.done += count
        self.draw()

    def draw(self, *, final: bool = False) -> None:
        now = time.monotonic()
        if self.tty:
            if final or now - self.last_drawn >= 0.1:
                self.last_drawn = now
                self.out.write("\r" + self.line(now, final) + ("\n" if final else ""))
                self.out.flush()
            return
        # Not a terminal (a log file, CI): a line every 10 % (or 5 s without a total).
        if self.total:
            step = 10 if final else min(9, self.done * 10 // self.total)
            due = step > self.last_step
            self.last_step = max(step, self.last_step)
        else:
            due = final or now - self.last_drawn >= 5
        if due:
            self.last_drawn = now
            self.out.write(self.line(now, final) + "\n")
            self.out.flush()

    def line(self, now: float, final: bool = False) -> str:
        elapsed = max(now - self.started, 1e-6)
        rate = self.done / elapsed
        timing = f"in {_duration(elapsed)}" if final else f"ETA {self.eta(rate)}"
        if self.total:
            filled = min(self.WIDTH, self.done * self.WIDTH // self.total)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            percent = min(100, self.done * 100 // self.total)
            return (
                f"{self.label:<26} [{bar}] {percent:3d}% {self.done:>9,}/{self.total:<9,} "
                f"{rate:>8,.0f}/s  {timing}"
            )
        return f"{self.label:<26} {self.done:>9,} rows {rate:>8,.0f}/s  in {_duration(elapsed)}"

    def eta(self, rate: float) -> str:
        if not self.total or not rate:
            return "?"
        return _duration((self.total - self.done) / rate)


def _duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
