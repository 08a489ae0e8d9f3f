"""Paths and logging shared by the bench scripts (no Django, no locust here)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV_BIN = Path(sys.executable).parent
RESULTS = BENCH / "results"
WORK = ROOT / "var" / "bench"


def log(message: str) -> None:
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)
