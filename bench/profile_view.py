"""Where one page's time goes: its CPU time per request, its queries and a profile, measured
in-process (Django's test client, production settings) on a bench database.

    DATABASE_URL=sqlite:///var/bench/sqlite-small.sqlite3 \\
      .venv/bin/python bench/profile_view.py member@<slug>.bench.example "/{slug}/planning/"

`{slug}` is the account's association. Prints the status and size of the answer, the CPU
milliseconds per request (median of --runs), the queries of one request with their time,
and the functions with the most cumulative time (`--top`).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carshare.settings")

from server import SERVER_ENV  # noqa: E402

for key, value in SERVER_ENV.items():
    os.environ.setdefault(key, value)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from members.models import User  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("email")
    parser.add_argument("path", help='e.g. "/{slug}/planning/"')
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=args.email))
    path = args.path.format(slug=args.email.split("@")[1].removesuffix(".bench.example"))
    response = client.get(path)
    print(f"{path}: HTTP {response.status_code}, {len(response.content):,} bytes")
    cpu = []
    for _ in range(args.runs):
        started = time.process_time()
        client.get(path)
        cpu.append(1000 * (time.process_time() - started))
    print(f"CPU per request: median {statistics.median(cpu):.1f} ms over {args.runs}")
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    print(f"{len(queries)} queries:")
    for query in queries.captured_queries:
        print(f"  {query['time']} s  {query['sql'][:160]}")
    # CPU time, not wall time: on a shared, loaded machine waiting for a core is not the page's.
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    for _ in range(5):
        client.get(path)
    profile.disable()
    pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
