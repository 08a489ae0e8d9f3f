"""python manage.py seed_bench: large, realistic data for benchmarks (see docs/PERFORMANCE.md)."""

from __future__ import annotations

import json
import time
from argparse import ArgumentParser, RawDescriptionHelpFormatter
from pathlib import Path
from typing import Any, TextIO, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from carshare.bench_seeding import APPS_IN_ORDER, seed_all
from core.bench_seeding import BENCH_PASSWORD, DEFAULT_BATCH_SIZE, BenchScale
from members.models import Association

HELP = f"""\
Fill an empty database with large, realistic data for benchmarks: by default 200
associations x 10 vehicles x 24 months of history (about half a million bookings once the
bookings app adds its part). Inserts are batched (one transaction per batch); a progress
bar goes to stderr. Every account's password is {BENCH_PASSWORD!r}, so the command refuses
to run with DEBUG off unless --force (on a throwaway database only).

Apps plug in with <app>/bench_seed.py defining seed(ctx: core.bench_seeding.BenchContext),
run in the order {", ".join(APPS_IN_ORDER)}. ctx.scale holds the parameters, ctx.rng the
seeded random generator, ctx.start/ctx.today the history window, ctx.objects the rows
created so far ("app_label.Model" -> list) and ctx.accounts the bench accounts; rows are
inserted with ctx.bulk_create(Model, iterable, total=..., keep=...).
"""


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: ArgumentParser) -> None:
        defaults = BenchScale()
        parser.add_argument("--associations", type=positive, default=defaults.associations)
        parser.add_argument(
            "--vehicles", type=positive, default=defaults.vehicles, help="per association"
        )
        parser.add_argument(
            "--months", type=positive, default=defaults.months, help="of history, up to today"
        )
        parser.add_argument(
            "--seed", type=int, default=defaults.seed, help="random seed (same seed, same data)"
        )
        parser.add_argument("--batch-size", type=positive, default=DEFAULT_BATCH_SIZE)
        parser.add_argument(
            "--accounts-out",
            type=Path,
            help="write the scale, the row counts and the bench accounts to this JSON file",
        )
        parser.add_argument(
            "--force", action="store_true", help="run even with DEBUG off (throwaway databases)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_bench refuses to run with DEBUG off: it writes a lot and creates known "
                "passwords. Use --force on a throwaway database."
            )
        if Association.objects.exists():
            raise CommandError("seed_bench needs a database without associations (a fresh one).")
        scale = BenchScale(
            associations=options["associations"],
            vehicles=options["vehicles"],
            months=options["months"],
            seed=options["seed"],
        )
        started = time.monotonic()
        # The raw stream: OutputWrapper.write() would end every progress redraw with "\n".
        out = cast(TextIO, self.stderr._out)
        ctx = seed_all(scale, out=out, batch_size=options["batch_size"])
        elapsed = time.monotonic() - started
        for label, count in ctx.counts.items():
            self.stdout.write(f"  {label:<28} {count:>10,}")
        self.stdout.write(self.style.SUCCESS(f"Bench data ready in {elapsed:.1f} s."))
        if options["accounts_out"]:
            summary = {
                "scale": vars(scale),
                "counts": dict(ctx.counts),
                "seconds": round(elapsed, 1),
                "accounts": ctx.accounts,
            }
            options["accounts_out"].write_text(json.dumps(summary, indent=2, default=str))
