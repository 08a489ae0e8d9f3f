"""Warm render time of a 3-4 page agreement, through the real path of a web request:
sandboxed template + WeasyPrint in a time-limited worker forked from the warm fork server.

    DEBUG=1 .venv/bin/python bench/pdf_render.py --runs 20

Prints the first (cold: starts the fork server) and the warm wall-clock timings, the CPU
time of one render measured in this process (what the worker spends, whatever the load of
the machine), and the load average. No database: the default agreement template is
rendered with its sample context.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any


def setup() -> None:
    # Inside a function: rendering workers import this script again (multiprocessing's
    # preparation of the main module), and must not set Django up for nothing.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carshare.settings")
    import django

    django.setup()


def cpu_per_render(association: Any, source: str, runs: int) -> list[float]:
    """CPU seconds of the worker's job (template + WeasyPrint), run here after a warm-up."""
    from contracts.kinds import KINDS
    from contracts.rendering import DocumentJob, base_context, pdf_job
    from contracts.sandbox import ensure_plain
    from contracts.worker import render_document

    spec = KINDS["agreement"]
    context = ensure_plain(base_context(association) | spec.sample())
    job = DocumentJob(source=source, context=context, pdf=pdf_job(association, spec))
    render_document(job)
    timings = []
    for _ in range(runs):
        started = time.process_time()
        render_document(job)
        timings.append(time.process_time() - started)
    return sorted(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    setup()
    from contracts.rendering import default_source, render_sample
    from members.models import Association

    association = Association(
        name="Autopartage de Villerouge",
        slug="villerouge",
        commune="Villerouge",
        address="Mairie, 1 place de l'Église, 63000 Villerouge",
    )
    source = default_source("agreement")
    timings = []
    pages = 0
    size = 0
    for _ in range(args.runs + 1):
        started = time.perf_counter()
        document = render_sample(association=association, kind="agreement", source=source)
        timings.append(time.perf_counter() - started)
        pages, size = document.page_count, len(document.pdf)
    cold, warm = timings[0], sorted(timings[1:])
    print(f"agreement: {pages} pages, {size / 1024:.0f} KiB")
    print(f"cold (fork server start + first render): {cold * 1000:.0f} ms")
    print(
        f"warm, {len(warm)} runs: median {statistics.median(warm) * 1000:.0f} ms, "
        f"min {warm[0] * 1000:.0f} ms, p90 {warm[int(len(warm) * 0.9) - 1] * 1000:.0f} ms, "
        f"max {warm[-1] * 1000:.0f} ms"
    )
    cpu = cpu_per_render(association, source, max(3, args.runs // 2))
    print(f"CPU time of one render: median {statistics.median(cpu) * 1000:.0f} ms")
    print("load average: " + " ".join(f"{load:.2f}" for load in os.getloadavg()))


if __name__ == "__main__":
    main()
